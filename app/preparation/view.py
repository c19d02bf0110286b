"""The shared parts of a family's preparation as templates/_preparation.html shows them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from app.i18n import N_, translate
from app.preparation import model, network_svg

CENTRE = N_("Child")


def preparation_context(
    prep: Mapping[str, Any] | str | None, lang: str, centre_label: str | None = None
) -> dict[str, Any]:
    """What templates/_preparation.html needs: `prep` (the shared parts, normalised) and
    `prep_svg` (the network map, already escaped, or None when the map is not shared)."""
    shown = model.load(prep)
    svg = None
    if shown["network"]:
        centre = centre_label or translate(CENTRE, lang)
        # Markup: network_svg escapes every text it draws.
        svg = Markup(network_svg.render(shown["network"], centre, lang, svg_id="prep-netmap"))
    return {"prep": shown, "prep_svg": svg}
