"""The network map as SVG: well-formed, escaped, people on their rings and sides, described."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from app.preparation import network_svg
from app.preparation.network_svg import CX, CY, HEIGHT, RADII, WIDTH, render

NS = {"s": "http://www.w3.org/2000/svg"}
FAMILY = [
    {"name": "Äiti", "relation": "mother", "closeness": 1, "side": "family"},
    {"name": "Isä", "relation": "father", "closeness": 1, "side": "family"},
    {"name": "Mummo", "relation": "grandmother", "closeness": 2, "side": "family"},
    {"name": "Jalkapallovalmentaja Pekka", "relation": "coach", "closeness": 3, "side": "family"},
    {"name": "Liisa", "relation": "teacher", "closeness": 2, "side": "services"},
    {"name": "Kuraattori", "relation": "", "closeness": 3, "side": "services"},
    {"name": "Terveydenhoitaja", "relation": "school nurse", "closeness": 3, "side": "services"},
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def people(root: ET.Element) -> list[ET.Element]:
    return root.findall("s:g[@class]", NS)


def test_the_map_is_an_image_with_a_title_and_a_description() -> None:
    root = parse(render(FAMILY, "Child", "en", svg_id="map1"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "map1-title map1-desc"
    assert root.find("s:title", NS).get("id") == "map1-title"  # type: ignore[union-attr]
    assert root.find("s:title", NS).text == "Network map of close relationships"  # type: ignore[union-attr]
    assert root.find("s:desc", NS).get("id") == "map1-desc"  # type: ignore[union-attr]


def test_the_description_lists_everyone_with_relation_and_closeness() -> None:
    desc = parse(render(FAMILY, "Child", "en")).find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert desc.startswith("At the centre: Child.")
    for person in FAMILY:
        # Full names, even those shortened on the drawing.
        assert person["name"] in desc
        assert person["relation"] in desc
    assert "Mummo (grandmother, close)" in desc
    assert "Äiti (mother, closest)" in desc
    assert "Kuraattori (further away)" in desc
    family, services = desc.split("Services:")
    assert "Family and close network:" in family and "Liisa" in services


def test_an_empty_map_says_so() -> None:
    desc = parse(render([], "Child", "en")).find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert "Nobody is on the map yet." in desc
    assert people(parse(render([], "Child", "en"))) == []


def test_three_rings_around_the_child() -> None:
    root = parse(render(FAMILY, "Child", "en"))
    rings = [c for c in root.findall("s:circle", NS) if "prep-ring" in (c.get("class") or "")]
    assert sorted(float(c.get("r") or 0) for c in rings) == sorted(RADII.values())
    assert all((float(c.get("cx") or 0), float(c.get("cy") or 0)) == (CX, CY) for c in rings)
    numbers = [
        t.text for t in root.findall("s:text", NS) if "ring-number" in (t.get("class") or "")
    ]
    assert numbers == ["1", "2", "3"]


def test_each_person_sits_on_the_ring_of_their_closeness_on_their_side() -> None:
    root = parse(render(FAMILY, "Child", "en"))
    groups = people(root)
    assert len(groups) == len(FAMILY)
    for person, group in zip(FAMILY, groups, strict=True):
        dot = group.find("s:circle", NS)
        if dot is None:  # services are drawn as squares
            rect = group.find("s:rect", NS)
            assert rect is not None
            x = float(rect.get("x") or 0) + float(rect.get("width") or 0) / 2
            y = float(rect.get("y") or 0) + float(rect.get("height") or 0) / 2
        else:
            x, y = float(dot.get("cx") or 0), float(dot.get("cy") or 0)
        assert math.hypot(x - CX, y - CY) == pytest.approx(RADII[person["closeness"]], abs=0.2)
        assert (x < CX) == (person["side"] == "family")
        assert f"prep-side-{person['side']}" in (group.get("class") or "")


def test_every_name_is_written_inside_the_drawing() -> None:
    crowd = [
        {"name": f"Henkilö numero {i}", "relation": "", "closeness": i % 3 + 1, "side": side}
        for i in range(12)
        for side in ("family", "services")
    ]
    root = parse(render(crowd, "Child", "en"))
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        assert 0 <= float(text.get("x") or 0) <= WIDTH
        assert 0 <= float(text.get("y") or 0) <= HEIGHT


def test_a_typical_map_has_no_names_on_top_of_each_other() -> None:
    placed = network_svg.layout(FAMILY)
    boxes = []
    for p in placed:
        width = network_svg._width(p.label, network_svg.FONT)
        x0 = {"start": p.tx, "end": p.tx - width, "middle": p.tx - width / 2}[p.anchor]
        boxes.append(network_svg.Box(x0, p.ty - 12, x0 + width, p.ty + 4))
    for i, a in enumerate(boxes):
        assert a.inside()
        for b in boxes[i + 1 :]:
            assert a.overlap(b) == 0


def test_text_is_escaped_and_characters_xml_cannot_carry_are_dropped() -> None:
    evil = [
        {
            "name": '<script>alert("x")</script>',
            "relation": "a & b ' \x00\x1b",
            "closeness": 1,
            "side": "family",
        },
        {"name": "]]> <!-- &amp;", "relation": "", "closeness": 2, "side": "services"},
    ]
    svg = render(evil, 'Lapsi "<b>"', "en", svg_id='x" onload="alert(1)')
    assert "<script>" not in svg and "<b>" not in svg and "<!--" not in svg
    assert 'onload="' not in svg
    root = parse(svg)  # well-formed XML despite everything
    desc = root.find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert '<script>alert("x")</script>' in desc
    assert "a & b '" in desc and "\x00" not in desc and "\x1b" not in desc
    assert "]]> <!-- &amp;" in desc
    assert 'Lapsi "<b>"' in desc
    tips = [g.find("s:title", NS).text for g in people(root)]  # type: ignore[union-attr]
    assert tips[0] == '<script>alert("x")</script>, a & b \''


def test_long_names_are_shortened_on_the_drawing_only() -> None:
    root = parse(render(FAMILY, "Child", "en"))
    names = [
        t.text
        for t in root.iter("{http://www.w3.org/2000/svg}text")
        if t.get("class") == "prep-name prep-halo"
    ]
    assert "Jalkapalloval…" in names
    assert all(len(n or "") <= network_svg.NAME_CHARS for n in names)


def test_colours_come_from_css_classes_not_from_the_drawing() -> None:
    svg = render(FAMILY, "Child", "en")
    assert 'fill="#' not in svg and 'stroke="#' not in svg and "style=" not in svg


def test_broken_items_are_drawn_anyway() -> None:
    root = parse(render([{"name": None}, {"closeness": "x", "side": "moon"}, {}], "C", "en"))
    assert len(people(root)) == 3


def test_the_same_map_gets_the_same_id_and_another_map_another() -> None:
    assert render(FAMILY, "Child", "en") == render(FAMILY, "Child", "en")
    first = parse(render(FAMILY, "Child", "en")).get("id")
    second = parse(render(FAMILY[:2], "Child", "en")).get("id")
    assert first != second
