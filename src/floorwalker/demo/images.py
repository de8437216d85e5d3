"""Placeholder product pictures: simple SVG silhouettes in the product's colour.

Demo products point at `/static/demo/<icon>/<colour>.svg`; Floorwalker renders those on request
from this module (`svg_for_path`), so the demo needs no image files and no external URL.
"""

from __future__ import annotations

import re
from html import escape

from floorwalker.demo.vocab.options import COLOURS

URL_PREFIX = "/static/demo"

#: Silhouettes drawn in a 200 × 200 box (SVG path data or basic shapes).
_SHAPES: dict[str, str] = {
    "top": '<path d="M70 20 L40 30 L5 70 L25 95 L45 80 L45 185 L155 185 L155 80 L175 95 L195 70 '
    'L160 30 L130 20 Q100 45 70 20 Z"/>',
    "jacket": '<path d="M70 15 L40 28 L5 75 L5 170 L30 170 L40 85 L45 190 L155 190 L160 85 '
    'L170 170 L195 170 L195 75 L160 28 L130 15 Q100 40 70 15 Z"/><path d="M100 38 L100 190" '
    'fill="none"/>',
    "puffer": '<path d="M65 15 L35 30 L5 80 L10 170 L40 170 L45 95 L42 190 L158 190 L155 95 '
    'L160 170 L190 170 L195 80 L165 30 L135 15 Q100 35 65 15 Z"/><path d="M45 70 H155 M43 105 '
    'H157 M42 140 H158 M42 170 H158" fill="none"/>',
    "vest": '<path d="M65 15 L50 25 Q60 70 40 85 L40 190 L160 190 L160 85 Q140 70 150 25 '
    'L135 15 Q100 45 65 15 Z"/>',
    "pants": '<path d="M55 10 L145 10 L160 190 L115 190 L100 70 L85 190 L40 190 Z"/>',
    "shorts": '<path d="M50 40 L150 40 L170 150 L110 160 L100 100 L90 160 L30 150 Z"/>',
    "dress": '<path d="M75 10 L125 10 L130 60 L175 190 L25 190 L70 60 Z"/>',
    "skirt": '<path d="M60 40 L140 40 L175 175 L25 175 Z"/>',
    "boot": '<path d="M50 20 L110 20 L112 110 L170 130 Q190 140 188 165 L188 180 L25 180 '
    'L25 150 L45 140 Z"/>',
    "shoe": '<path d="M20 120 Q30 80 70 85 L110 105 L160 115 Q190 122 190 150 L190 165 '
    'L15 165 Z"/>',
    "sandal": '<path d="M20 150 L190 150 L190 168 L20 168 Z"/><path d="M60 150 Q80 100 110 150 '
    'M120 150 Q140 105 165 150" fill="none" stroke-width="10"/>',
    "beanie": '<path d="M35 150 Q35 50 100 45 Q165 50 165 150 Z"/><rect x="28" y="140" '
    'width="144" height="35" rx="8"/><circle cx="100" cy="38" r="16"/>',
    "hat": '<ellipse cx="100" cy="140" rx="95" ry="25"/><path d="M55 140 Q55 70 100 68 '
    'Q145 70 145 140 Z"/>',
    "glove": '<path d="M55 190 L55 90 L45 40 Q50 30 60 40 L70 80 L72 25 Q80 15 88 25 L90 75 '
    "L95 20 Q103 12 110 22 L110 78 L118 30 Q127 22 133 32 L130 95 L155 80 Q168 85 160 98 "
    'L135 140 L135 190 Z"/>',
    "sock": '<path d="M70 10 L130 10 L130 120 L175 150 Q195 165 180 185 L120 190 Q80 190 '
    '70 160 Z"/>',
    "backpack": '<rect x="40" y="35" width="120" height="155" rx="28"/><rect x="60" y="115" '
    'width="80" height="55" rx="10"/><path d="M75 35 Q75 8 100 8 Q125 8 125 35" fill="none" '
    'stroke-width="8"/>',
    "duffel": '<rect x="15" y="70" width="170" height="100" rx="40"/><path d="M60 70 Q60 35 '
    '100 35 Q140 35 140 70" fill="none" stroke-width="9"/>',
    "tent": '<path d="M100 20 L195 180 L5 180 Z"/><path d="M100 20 L100 180 M100 180 L75 '
    '120 L100 120" fill="none"/>',
    "sleepingbag": '<path d="M60 10 Q100 0 140 10 L150 175 Q100 198 50 175 Z"/><ellipse '
    'cx="100" cy="45" rx="30" ry="22" fill="#ffffff" fill-opacity="0.35"/>',
    "pad": '<rect x="20" y="55" width="160" height="90" rx="20"/><path d="M20 85 H180 M20 115 '
    'H180" fill="none"/>',
    "bottle": '<rect x="70" y="8" width="60" height="25" rx="6"/><rect x="55" y="30" '
    'width="90" height="165" rx="30"/>',
    "mug": '<rect x="35" y="45" width="110" height="130" rx="14"/><path d="M145 75 Q190 80 '
    '185 115 Q182 145 145 145" fill="none" stroke-width="14"/>',
    "glass": '<path d="M50 20 L150 20 L138 185 L62 185 Z"/>',
    "pot": '<rect x="30" y="70" width="140" height="105" rx="18"/><rect x="20" y="55" '
    'width="160" height="18" rx="6"/><rect x="88" y="35" width="24" height="20" rx="5"/>',
    "skillet": '<circle cx="80" cy="115" r="70"/><rect x="145" y="103" width="55" height="22" '
    'rx="8"/>',
    "chair": '<path d="M40 40 L160 40 L150 120 L50 120 Z"/><path d="M45 120 L25 190 M155 120 '
    'L175 190 M60 120 L140 190 M140 120 L60 190" fill="none" stroke-width="9"/>',
    "lamp": '<rect x="65" y="25" width="70" height="25" rx="8"/><path d="M60 50 L140 50 '
    'L150 160 L50 160 Z"/><rect x="45" y="160" width="110" height="25" rx="8"/>',
    "headlamp": '<ellipse cx="100" cy="110" rx="90" ry="55" fill="none" stroke-width="14"/>'
    '<rect x="65" y="130" width="70" height="50" rx="14"/>',
    "candle": '<rect x="45" y="60" width="110" height="130" rx="16"/><path d="M100 20 Q115 40 '
    '100 55 Q85 40 100 20 Z" fill="#f2b233"/>',
    "bed": '<rect x="10" y="95" width="180" height="70" rx="10"/><rect x="10" y="50" '
    'width="20" height="140"/><rect x="170" y="80" width="20" height="110"/><rect x="35" '
    'y="72" width="55" height="28" rx="10"/>',
    "pillow": '<path d="M20 50 Q100 30 180 50 Q195 100 180 150 Q100 170 20 150 Q5 100 20 50 Z"/>',
    "blanket": '<path d="M20 30 L180 30 L180 150 Q140 185 100 165 Q60 185 20 150 Z"/><path '
    'd="M20 70 H180 M20 110 H180" fill="none"/>',
    "towel": '<rect x="40" y="20" width="120" height="170" rx="8"/><path d="M40 160 H160" '
    'fill="none"/>',
    "knife": '<path d="M10 110 L140 85 Q175 80 190 95 L140 125 Z"/><rect x="5" y="105" '
    'width="55" height="22" rx="6" transform="rotate(-10 30 115)"/>',
    "board": '<rect x="25" y="40" width="150" height="120" rx="20"/><circle cx="150" cy="65" '
    'r="9" fill="#ffffff"/>',
    "plate": '<circle cx="100" cy="100" r="85"/><circle cx="100" cy="100" r="55" fill="none"/>',
}

_ICON_SHAPES: dict[str, str] = {
    "jacket": "jacket", "coat": "jacket", "parka": "jacket", "puffer": "puffer",
    "fleece": "jacket", "sweater": "top", "tee": "top", "longsleeve": "top", "shirt": "top",
    "hoodie": "top", "robe": "jacket", "vest": "vest", "pants": "pants", "leggings": "pants",
    "shorts": "shorts", "dress": "dress", "skirt": "skirt", "boot": "boot", "shoe": "shoe",
    "slipper": "shoe", "sandal": "sandal", "beanie": "beanie", "hat": "hat", "cap": "hat",
    "glove": "glove", "mitten": "glove", "sock": "sock", "backpack": "backpack",
    "duffel": "duffel", "hippack": "duffel", "tent": "tent", "tarp": "tent",
    "sleepingbag": "sleepingbag", "pad": "pad", "stove": "pot", "pot": "pot", "chair": "chair",
    "bottle": "bottle", "tumbler": "glass", "glass": "glass", "mug": "mug",
    "headlamp": "headlamp", "lantern": "lamp", "diffuser": "bottle", "candle": "candle",
    "bed": "bed", "comforter": "bed", "pillow": "pillow", "blanket": "blanket",
    "towel": "towel", "mat": "pad", "skillet": "skillet", "dutchoven": "pot", "knife": "knife",
    "board": "board", "plate": "plate",
}  # fmt: skip

#: Products without a colour option are drawn in their family's usual colour.
DEFAULT_COLOUR = "stone"

_PATH_RE = re.compile(r"^/?(?:static/demo/)?(?P<icon>[a-z]+)/(?P<colour>[a-z-]+)\.svg$")


def image_url(icon: str, colour_slug: str | None) -> str:
    """The URL path of a product picture (served by Floorwalker itself)."""
    return f"{URL_PREFIX}/{icon}/{colour_slug or DEFAULT_COLOUR}.svg"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def _mix_with_white(hex_colour: str, amount: float) -> str:
    mixed = (round(c + (255 - c) * amount) for c in _rgb(hex_colour))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _is_light(hex_colour: str) -> bool:
    r, g, b = _rgb(hex_colour)
    return 0.299 * r + 0.587 * g + 0.114 * b > 150


def render_svg(icon: str, colour_slug: str) -> str | None:
    """The picture for an icon in a colour, or None if either is unknown."""
    shape_name = _ICON_SHAPES.get(icon)
    colour = COLOURS.get(colour_slug)
    if shape_name is None or colour is None:
        return None
    name, hex_colour = colour
    label = escape(f"{icon} in {name}")
    background = _mix_with_white(hex_colour, 0.82)
    # A light product needs a dark outline to stand out from its pale background.
    stroke = "#2b2b2b" if _is_light(hex_colour) else "#5a5a5a"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" '
        f'role="img" aria-label="{label}"><rect width="400" height="400" fill="{background}"/>'
        f'<g transform="translate(100 80)" fill="{hex_colour}" stroke="{stroke}" '
        f'stroke-width="4" stroke-linejoin="round" stroke-linecap="round">'
        f"{_SHAPES[shape_name]}</g>"
        '<text x="200" y="360" font-family="system-ui, sans-serif" font-size="20" '
        f'text-anchor="middle" fill="#4a4a4a">{escape(name)}</text></svg>'
    )


def svg_for_path(path: str) -> str | None:
    """The picture for a URL path like `/static/demo/jacket/moss.svg` (None if unknown)."""
    match = _PATH_RE.match(path)
    if match is None:
        return None
    return render_svg(match.group("icon"), match.group("colour"))
