"""The network map of close relationships (läheisverkosto) as an accessible SVG string.

The child is at the centre, people sit on three rings by closeness (1 is the closest), the
family and its close network on the left half and the services on the right. The SVG is an
image with a <title> and a <desc> that lists everyone; the page always shows a plain list
beside it. Every text is XML-escaped here, and characters XML cannot carry are dropped. Colours
come from CSS classes (cases.css) and text is drawn in currentColor, so the one drawing reads
right in the light and the dark theme. No I/O beyond reading the translation catalogue.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from app.i18n import N_, translate

WIDTH = 500
HEIGHT = 440
CX = 250
CY = 235
RADII = {1: 70, 2: 130, 3: 190}
CENTRE_R = 32
FONT = 18
SMALL = 14
NAME_CHARS = 14
# People on a ring keep away from the top and the bottom, where the two sides meet.
FIRST_ANGLE, LAST_ANGLE = 28.0, 152.0
# Rings are turned a little against each other, so that lone people on two rings are not
# drawn at the same height with their names on top of each other.
RING_SHIFT = {1: 0.0, 2: 0.25, 3: -0.25}
DOT = 9

_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

CLOSENESS_TEXT = {1: N_("closest"), 2: N_("close"), 3: N_("further away")}
SIDE_TEXT = {"family": N_("Family and close network"), "services": N_("Services")}


def xml_text(value: object) -> str:
    """Text safe inside an XML element or a quoted attribute."""
    return escape(_UNPRINTABLE.sub("", str(value)), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Advance widths of a system sans-serif (DejaVu Sans, Liberation Sans, Arial), in ems, a little
# on the wide side: a name estimated too narrow runs off the drawing's edge and is clipped.
_NARROW, _WIDE = set("iljI.,:;!'|ft r()[]"), set("mwMW@%")


def _width(text: str, size: int) -> float:
    """The estimated width of `text` at `size`."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.36
        elif char in _WIDE:
            ems += 1.0
        elif char.isupper() or char.isdigit():
            ems += 0.72
        else:
            ems += 0.62
    return ems * size


@dataclass(frozen=True)
class Box:
    """A rectangle that a label or a dot takes on the drawing."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def inside(self) -> bool:
        return self.x0 >= 2 and self.y0 >= 2 and self.x1 <= WIDTH - 2 and self.y1 <= HEIGHT - 2


@dataclass(frozen=True)
class Placed:
    """One person on the map: where the dot is and where their name is written."""

    name: str
    label: str
    relation: str
    closeness: int
    side: str
    x: float
    y: float
    tx: float
    ty: float
    anchor: str


def _person(item: Mapping[str, Any]) -> tuple[str, str, int, str]:
    """A person's name, relation, ring and side, whatever the dict holds (never raises)."""
    name = " ".join(_UNPRINTABLE.sub("", str(item.get("name", ""))).split()) or "?"
    relation = " ".join(_UNPRINTABLE.sub("", str(item.get("relation", ""))).split())
    closeness = item.get("closeness")
    ring = closeness if closeness in (1, 2, 3) and not isinstance(closeness, bool) else 3
    side = item.get("side") if item.get("side") in SIDE_TEXT else "family"
    return name, relation, int(ring), str(side)


def positions(count: int, ring: int) -> list[float]:
    """The angles (degrees from the top, towards the outer edge) of `count` people on a ring."""
    step = (LAST_ANGLE - FIRST_ANGLE) / count
    return [FIRST_ANGLE + step * (k + 0.5 + RING_SHIFT[ring]) for k in range(count)]


def _candidates(x: float, y: float, side: str, label: str) -> list[tuple[Box, float, float, str]]:
    """Where a name may go, best first: outwards, below, above, inwards of the dot."""
    w = _width(label, FONT)
    gap = DOT + 5
    baseline = y + FONT * 0.35
    left_box = Box(x - gap - w, y - FONT * 0.7, x - gap, y + FONT * 0.45)
    right_box = Box(x + gap, y - FONT * 0.7, x + gap + w, y + FONT * 0.45)
    left = (left_box, x - gap, baseline, "end")
    right = (right_box, x + gap, baseline, "start")
    outward, inward = (left, right) if side == "family" else (right, left)
    # Centred under or over the dot, pushed back inside the drawing at the edges.
    start = min(max(x - w / 2, 2.0), WIDTH - 2 - w)
    below_y, above_y = y + DOT + 4 + FONT * 0.8, y - DOT - 6
    below = (Box(start, below_y - FONT * 0.8, start + w, below_y + FONT * 0.25), start + w / 2)
    above = (Box(start, above_y - FONT * 0.8, start + w, above_y + FONT * 0.25), start + w / 2)
    return [
        outward,
        (below[0], below[1], below_y, "middle"),
        (above[0], above[1], above_y, "middle"),
        inward,
    ]


def layout(network: Sequence[Mapping[str, Any]]) -> list[Placed]:
    """Everyone's dot and name on the drawing, the closest rings first."""
    people = [_person(item) for item in network]
    taken = [
        Box(CX - CENTRE_R, CY - CENTRE_R, CX + CENTRE_R, CY + CENTRE_R),
        Box(0, 0, WIDTH, 30),  # the two headings
    ]
    dots: dict[int, tuple[float, float]] = {}
    for ring in (1, 2, 3):
        for side in SIDE_TEXT:
            members = [i for i, p in enumerate(people) if p[2] == ring and p[3] == side]
            sign = -1 if side == "family" else 1
            angles = positions(len(members), ring) if members else []
            for i, angle in zip(members, angles, strict=True):
                rad = math.radians(angle)
                x = CX + sign * RADII[ring] * math.sin(rad)
                y = CY - RADII[ring] * math.cos(rad)
                dots[i] = (x, y)
                taken.append(Box(x - DOT, y - DOT, x + DOT, y + DOT))
    placed: dict[int, Placed] = {}
    for ring in (1, 2, 3):
        for i, (name, relation, closeness, side) in enumerate(people):
            if closeness != ring:
                continue
            x, y = dots[i]
            label = _short(name, NAME_CHARS)
            options = _candidates(x, y, side, label)
            # A name too wide for any place inside the drawing is shortened until one fits.
            while not any(o[0].inside() for o in options) and len(label) > 4:
                label = _short(name, len(label) - 1)
                options = _candidates(x, y, side, label)
            fits = [o for o in options if o[0].inside() and not any(o[0].overlap(t) for t in taken)]
            if fits:
                box, tx, ty, anchor = fits[0]
            else:
                # Crowded: the place that covers the least of what is already drawn.
                box, tx, ty, anchor = min(
                    options,
                    key=lambda o: (not o[0].inside(), sum(o[0].overlap(t) for t in taken)),
                )
            taken.append(box)
            placed[i] = Placed(name, label, relation, closeness, side, x, y, tx, ty, anchor)
    return [placed[i] for i in range(len(people))]


def describe(network: Sequence[Mapping[str, Any]], centre_label: str, lang: str) -> str:
    """The whole map in words: who is at the centre, then everyone by side and closeness."""
    people = [_person(item) for item in network]
    centre = " ".join(_UNPRINTABLE.sub("", centre_label).split())
    parts = [translate("At the centre: %(name)s.", lang) % {"name": centre}]
    if not people:
        parts.append(translate("Nobody is on the map yet.", lang))
    for side, heading in SIDE_TEXT.items():
        members = sorted((p for p in people if p[3] == side), key=lambda p: p[2])
        if not members:
            continue
        said = []
        for name, relation, ring, _side in members:
            closeness = translate(CLOSENESS_TEXT[ring], lang)
            about = f"{relation}, {closeness}" if relation else closeness
            said.append(f"{name} ({about})")
        parts.append(f"{translate(heading, lang)}: {'; '.join(said)}.")
    return " ".join(parts)


def render(
    network: Sequence[Mapping[str, Any]], centre_label: str, lang: str, *, svg_id: str | None = None
) -> str:
    """The network map as an SVG element, ready to put in a page as it is."""
    title = translate("Network map of close relationships", lang)
    desc = describe(network, centre_label, lang)
    if svg_id is None:
        svg_id = "netmap-" + hashlib.sha256(desc.encode("utf-8", "replace")).hexdigest()[:8]
    sid = xml_text(svg_id)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="prep-map" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{sid}-title {sid}-desc" focusable="false" id="{sid}">',
        f'<title id="{sid}-title">{xml_text(title)}</title>',
        f'<desc id="{sid}-desc">{xml_text(desc)}</desc>',
    ]
    top, bottom = CY - RADII[3] - 10, CY + RADII[3] + 10
    out.append(f'<line class="prep-divider" x1="{CX}" y1="{top}" x2="{CX}" y2="{bottom}"/>')
    for ring, radius in RADII.items():
        out.append(f'<circle class="prep-ring prep-ring-{ring}" cx="{CX}" cy="{CY}" r="{radius}"/>')
    for ring, radius in RADII.items():
        out.append(
            f'<text class="prep-ring-number prep-halo" x="{CX}" y="{CY + radius + 5}" '
            f'text-anchor="middle" font-size="{SMALL}">{ring}</text>'
        )
    out.append(
        f'<text class="prep-side-title" x="8" y="22" font-size="{SMALL + 1}">'
        f"{xml_text(translate(SIDE_TEXT['family'], lang))}</text>"
    )
    out.append(
        f'<text class="prep-side-title" x="{WIDTH - 8}" y="22" text-anchor="end" '
        f'font-size="{SMALL + 1}">{xml_text(translate(SIDE_TEXT["services"], lang))}</text>'
    )
    centre = _short(" ".join(_UNPRINTABLE.sub("", centre_label).split()), 9)
    out.append(f'<circle class="prep-centre" cx="{CX}" cy="{CY}" r="{CENTRE_R}"/>')
    out.append(
        f'<text class="prep-centre-label" x="{CX}" y="{CY + FONT * 0.35:.1f}" '
        f'text-anchor="middle" font-size="{FONT - 1}">{xml_text(centre)}</text>'
    )
    for p in layout(network):
        shape = (
            f'<circle class="prep-dot prep-dot-family" cx="{p.x:.1f}" cy="{p.y:.1f}" r="{DOT}"/>'
            if p.side == "family"
            else f'<rect class="prep-dot prep-dot-services" x="{p.x - DOT + 1:.1f}" '
            f'y="{p.y - DOT + 1:.1f}" width="{2 * DOT - 2}" height="{2 * DOT - 2}" rx="3"/>'
        )
        # The <title> is the full name as a tooltip for a mouse; screen readers read the <desc>.
        tip = f"{p.name}, {p.relation}" if p.relation else p.name
        out.append(
            f'<g class="prep-person prep-side-{p.side}"><title>{xml_text(tip)}</title>{shape}'
            f'<text class="prep-name prep-halo" x="{p.tx:.1f}" y="{p.ty:.1f}" '
            f'text-anchor="{p.anchor}" font-size="{FONT}">{xml_text(p.label)}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)
