"""A world map drawn by pygal from the country shapes pygal_maps_world ships (no tiles, no
files fetched): each country shaded by a count, hovering names it, clicking opens a link."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

# Shades that read on light and dark backgrounds alike: countries without data are a
# translucent grey, counted ones an orange whose opacity grows with the count.
FILL, EMPTY, BORDER = "#e8590c", "rgba(128, 128, 128, 0.28)", "rgba(128, 128, 128, 0.75)"
LIGHTEST = 0.5  # the opacity of the smallest count
CSS = Path(__file__).with_name("worldmap.css")


@dataclass(frozen=True)
class Area:
    iso: str  # ISO 3166-1 alpha-2
    count: int
    label: str  # shown on hover
    href: str  # opened on click, within the explorer


def svg(areas: list[Area]) -> str:
    """The map as SVG text: shade on a log scale, so one large count does not wash out the rest.
    Made once per set of areas (pygal takes about 50 ms)."""
    return _svg(tuple(areas))


def _tenth(number: re.Match) -> str:
    """A coordinate to a tenth of a unit, written short ('-0.70' -> '-.7'): a tenth is a
    twentieth of a pixel as drawn, and the map's shapes come to a third less text."""
    text = f"{float(number[0]):.1f}".removesuffix(".0")
    return "0" if text == "-0" else re.sub(r"^(-?)0\.", r"\1.", text)


def _shorter(path: re.Match) -> str:
    return path[1] + re.sub(r"-?\d+\.\d+", _tenth, path[2]) + '"'


@st.cache_data(max_entries=64, show_spinner=False)
def _svg(areas: tuple[Area, ...]) -> str:
    from pygal.maps.world import World
    from pygal.style import Style
    from pygal_maps_world.i18n import COUNTRIES

    style = Style(background="transparent", plot_background=EMPTY, foreground=BORDER,
                  foreground_strong=BORDER, foreground_subtle=BORDER, colors=(FILL,),
                  opacity="1", opacity_hover="1")
    chart = World(style=style, js=[], css=["file://style.css", "file://graph.css", f"file://{CSS}"],
                  show_legend=False, margin=0, width=1000, height=520, disable_xml_declaration=True)
    chart.add("", [{"value": (a.iso.lower(), math.log1p(a.count)), "label": a.label,
                    "xlink": {"href": a.href, "target": "_self"}}
                   for a in areas if a.count and a.iso.lower() in COUNTRIES])
    text = re.sub(r'( d=")([^"]*)"', _shorter, chart.render(is_unicode=True))
    # pygal puts each label in a <desc> its JavaScript tooltips read; a <title> is the
    # browser's own tooltip, so the map explains itself without scripts.
    text = re.sub(r'<desc class="label">(.*?)</desc>', r"<title>\1</title>", text)
    # pygal shades from 0.3 to 1; the faintest must still stand out on a dark page.
    return re.sub(r"fill-opacity: ([\d.]+)",
                  lambda m: f"fill-opacity: {LIGHTEST + (1 - LIGHTEST) * (float(m[1]) - .3) / .7:.3f}",
                  text)


def draw(areas: list[Area], key: str) -> None:
    """The map on the page, or a line saying there is nothing to draw."""
    if not any(a.count for a in areas):
        st.info("No country to shade: none of these disputes has a country's jurisdiction.")
        return
    # st.html would strip the SVG (its sanitiser keeps HTML only); this SVG is our own.
    st.markdown(f'<div class="techreg-map" data-key="{key}">{svg(areas)}</div>',
                unsafe_allow_html=True)
