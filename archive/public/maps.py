"""The map of Iran, drawn on the server as SVG: no script, no tile server, no request to
anyone else; it prints, and it reads at 390 px.

The outline and the provinces come from a bundled public-domain dataset (Natural Earth's
admin-1 provinces, as TopoJSON: ``geodata/README.md`` says where from and under which
licence). They are decoded, projected and simplified once per process (``base_map``,
about 30 ms): a page only adds its markers. Shared borders are TopoJSON arcs, simplified
once for both provinces, so neighbours never gap; the country's outline is the arcs that
only one province uses.

This module draws; it reads no record. ``archive.public.places`` gives it the places (each
a ``Marker``) and the number of victims killed in each province.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from archive.core.display import localized_number

GEODATA = Path(__file__).parent / "geodata" / "iran-provinces.topo.json"

# The frame drawn (degrees), a little wider than the country.
WEST, EAST, SOUTH, NORTH = 43.6, 63.6, 24.8, 39.95
# An equirectangular projection true to scale at Iran's middle latitude: at this size no
# other projection draws the country visibly better, and this one is a line of arithmetic.
MID_LATITUDE = 32.5
WIDTH = 1000
# Douglas-Peucker tolerance, in map units (a 1000-unit map is 390 px wide on a phone).
TOLERANCE = 0.9

# Provinces' names in Persian, by the dataset's HASC code (the dataset has English only).
PROVINCE_NAMES_FA = {
    "IR.AL": "البرز", "IR.AR": "اردبیل", "IR.BK": "کرمانشاه", "IR.BS": "بوشهر",
    "IR.CM": "چهارمحال و بختیاری", "IR.EA": "آذربایجان شرقی", "IR.ES": "اصفهان",
    "IR.FA": "فارس", "IR.GI": "گیلان", "IR.GO": "گلستان", "IR.HD": "همدان",
    "IR.HG": "هرمزگان", "IR.IL": "ایلام", "IR.KB": "کهگیلویه و بویراحمد", "IR.KD": "کردستان",
    "IR.KE": "کرمان", "IR.KJ": "خراسان جنوبی", "IR.KS": "خراسان شمالی",
    "IR.KV": "خراسان رضوی", "IR.KZ": "خوزستان", "IR.LO": "لرستان", "IR.MK": "مرکزی",
    "IR.MN": "مازندران", "IR.QM": "قم", "IR.QZ": "قزوین", "IR.SB": "سیستان و بلوچستان",
    "IR.SM": "سمنان", "IR.TH": "تهران", "IR.WA": "آذربایجان غربی", "IR.YA": "یزد",
    "IR.ZA": "زنجان",
}  # fmt: skip

# Province shading: victims killed there, in five steps (light to dark); none: the ground.
SHADES = ("#f4efe6", "#f6d9b8", "#eeb07c", "#dd8150", "#bd5431", "#8e2f1d")
# Markers by kind: (shape, fill). Shape and colour both tell the kind, for those who do
# not see the colours apart; the legend and the table say it in words.
MARKERS = {
    "prison": ("square", "#5b1a6e"),
    "mass_grave": ("diamond", "#111111"),
    "cemetery": ("circle", "#1d5e3a"),
    "city": ("ring", "#263f5c"),
}
OTHER_MARKER = ("ring", "#4a4a4a")
LABELLED = 8  # the places with the most victims are named on the map itself


@dataclass
class Province:
    code: str
    name_en: str
    rings: list[list[tuple[float, float]]]  # (lon, lat), for point-in-polygon
    path: str  # SVG path data, projected and simplified
    bbox: tuple[float, float, float, float]  # west, south, east, north
    label_at: tuple[float, float] = (0.0, 0.0)

    def name(self, lang: str) -> str:
        return PROVINCE_NAMES_FA.get(self.code, self.name_en) if lang == "fa" else self.name_en

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        inside = False
        for ring in self.rings:
            inside ^= _in_ring(ring, lon, lat)
        return inside


@dataclass
class BaseMap:
    width: int
    height: int
    provinces: list[Province]
    outline: str  # path data of the country's border

    def province_at(self, lon: float, lat: float) -> Province | None:
        code = _province_code_at(round(lon, 4), round(lat, 4))
        return self.by_code(code) if code else None

    def by_code(self, code: str) -> Province | None:
        return self.codes.get(code)

    @cached_property
    def codes(self) -> dict[str, Province]:
        return {p.code: p for p in self.provinces}

    def province_named(self, *names: str) -> Province | None:
        wanted = {" ".join(n.casefold().replace("province", "").split()) for n in names if n}
        wanted |= {n.replace("استان", "").strip() for n in names if n}
        for province in self.provinces:
            if {province.name_en.casefold(), PROVINCE_NAMES_FA.get(province.code, "")} & wanted:
                return province
        return None


@dataclass
class Marker:
    """A place on the map: where, what kind, its victims, its page."""

    lon: float
    lat: float
    kind: str
    name: str
    kind_label: str
    url: str
    victims: int = 0
    extra: dict = field(default_factory=dict)


@lru_cache(maxsize=16384)
def _province_code_at(lon: float, lat: float) -> str:
    """Which province a point falls in (places seldom move: kept per process)."""
    for province in base_map().provinces:
        if province.contains(lon, lat):
            return province.code
    return ""


def project(lon: float, lat: float) -> tuple[float, float]:
    scale = WIDTH / ((EAST - WEST) * math.cos(math.radians(MID_LATITUDE)))
    x = (lon - WEST) * math.cos(math.radians(MID_LATITUDE)) * scale
    y = (NORTH - lat) * scale
    return x, y


def map_height() -> int:
    return round(project(WEST, SOUTH)[1])


def _in_ring(ring, lon, lat) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; the ends are kept (arcs meet at them)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1e-12
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x0, y0 = points[i]
            distance = abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / length
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes, arcs) -> list:
    points: list = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _path(rings) -> str:
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        head, *rest = ring
        parts.append(
            f"M{head[0]:.0f} {head[1]:.0f}" + "".join(f"L{x:.0f} {y:.0f}" for x, y in rest)
        )
    return "Z".join(parts) + ("Z" if parts else "")


@lru_cache(maxsize=1)
def base_map() -> BaseMap:
    """Iran's provinces and outline, projected and simplified: once per process."""
    topology = json.loads(GEODATA.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    projected = [_simplify([project(lon, lat) for lon, lat in arc], TOLERANCE) for arc in arcs]
    uses: dict[int, int] = {}
    provinces = []
    for geometry in topology["objects"]["irn"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings_idx = [ring for polygon in polygons for ring in polygon]
        for ring in rings_idx:
            for index in ring:
                key = index if index >= 0 else ~index
                uses[key] = uses.get(key, 0) + 1
        name = (geometry.get("properties") or {}).get("name")
        if not name:
            continue  # a minor island: part of the outline, not a province
        rings = [_ring(ring, arcs) for ring in rings_idx]
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        largest = max(rings, key=lambda r: abs(_area(r)))
        provinces.append(
            Province(
                code=geometry.get("id") or name,
                name_en=name,
                rings=rings,
                path=_path([_ring(ring, projected) for ring in rings_idx]),
                bbox=(min(lons), min(lats), max(lons), max(lats)),
                label_at=project(*_centroid(largest)),
            )
        )
    outline = _path_open(projected[i] for i, n in sorted(uses.items()) if n == 1)
    return BaseMap(width=WIDTH, height=map_height(), provinces=provinces, outline=outline)


def _path_open(lines) -> str:
    return "".join(
        f"M{line[0][0]:.0f} {line[0][1]:.0f}" + "".join(f"L{x:.0f} {y:.0f}" for x, y in line[1:])
        for line in lines
        if len(line) > 1
    )


def _area(ring) -> float:
    return sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _centroid(ring) -> tuple[float, float]:
    area = _area(ring) or 1e-12
    cx = sum(
        (x1 + x2) * (x1 * y2 - x2 * y1)
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    cy = sum(
        (y1 + y2) * (x1 * y2 - x2 * y1)
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    return cx / (3 * area), cy / (3 * area)


# --- Drawing ---------------------------------------------------------------------------------


def shade_of(killed: int, most: int) -> str:
    """The fill of a province with ``killed`` victims, ``most`` being the most of any."""
    if not killed or not most:
        return SHADES[0]
    step = math.ceil(4 * math.log1p(killed) / math.log1p(most)) if most > 1 else 4
    return SHADES[max(1, min(step + 1, 5))]


def radius_of(victims: int, most: int, *, small: float = 5.0, large: float = 20.0) -> float:
    """A marker's size by its victims: its area grows with their number."""
    if not victims or not most:
        return small * 0.8
    return small + (large - small) * math.sqrt(victims / most)


def _shape(kind: str, x: float, y: float, r: float) -> str:
    shape, fill = MARKERS.get(kind, OTHER_MARKER)
    common = f'fill="{fill}" stroke="#fff" stroke-width="1.5"'
    if shape == "square":
        s = r * 0.9
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" '
            f'height="{2 * s:.1f}" {common}/>'
        )
    if shape == "diamond":
        s = r * 1.2
        pts = f"{x:.1f},{y - s:.1f} {x + s:.1f},{y:.1f} {x:.1f},{y + s:.1f} {x - s:.1f},{y:.1f}"
        return f'<polygon points="{pts}" {common}/>'
    if shape == "ring":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#fff" stroke="{fill}" '
            f'stroke-width="{max(2.0, r / 3):.1f}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'


def legend_shapes() -> list[tuple[str, str]]:
    """(kind, small SVG of its marker) for the legend beside the map."""
    out = []
    for kind in ("prison", "mass_grave", "cemetery", "city"):
        out.append((kind, mark_safe(_svg_icon(_shape(kind, 10, 10, 6)))))
    return out


def shade_swatch(index: int) -> SafeString:
    return mark_safe(
        _svg_icon(
            f'<rect x="2" y="4" width="16" height="12" fill="{SHADES[index]}" stroke="#999"/>'
        )
    )


def _svg_icon(body: str) -> str:
    return (
        '<svg class="legend-icon" viewBox="0 0 20 20" width="20" height="20" '
        f'aria-hidden="true" focusable="false">{body}</svg>'
    )


# The names' sizes in map units (static/css/site.css: .marker-names text), wide screens
# and phones, and an average glyph's width for a bold name (an estimate, on the safe side).
LABEL_SIZES = (24, 34)
GLYPH = 0.62


def label_places(markers: list[Marker], most: int, width: int):
    """(marker, text, x, y, anchor, shown on phones) for the names of ``markers`` (most
    victims first) that fit: none runs off the map's edge, and a name that would cover
    one already placed is left out (the table names every place). Placed twice, at the
    wide size and at the phone's; a name that fits only at the wide size is hidden on
    phones. The anchor is the physical one ("start": the name begins at x, to the right)."""
    placed = {size: [] for size in LABEL_SIZES}
    out = []
    for marker in markers:
        x, y = project(marker.lon, marker.lat)
        y -= radius_of(marker.victims, most) + 4
        text = f"{marker.name} ({localized_number(marker.victims)})"
        half = len(text) * GLYPH * max(LABEL_SIZES) / 2
        anchor = "middle"
        if x - half < 2:
            anchor, x = "start", max(x - 12, 2)
        elif x + half > width - 2:
            anchor, x = "end", min(x + 12, width - 2)
        fits = {}
        for size in LABEL_SIZES:
            w = len(text) * GLYPH * size
            left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
            box = (left, y - size, left + w, y + size * 0.25)
            fits[size] = not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for b in placed[size]
            )
            if fits[size]:
                placed[size].append(box)
        if fits[LABEL_SIZES[0]]:
            out.append((marker, text, x, y, anchor, fits[LABEL_SIZES[-1]]))
    return out


def draw(
    markers: list[Marker],
    *,
    killed_by_province: dict[str, int],
    lang: str,
    title: str,
    labelled: int = LABELLED,
    focus: bool = False,
) -> SafeString:
    """The whole map as an inline ``<svg>``: provinces shaded by ``killed_by_province``
    (code -> victims killed there), each marker a link to its place's page, the places
    with the most victims named. ``focus``: a place page's one place (a small map)."""
    base = base_map()
    most_killed = max(killed_by_province.values(), default=0)
    most = max((m.victims for m in markers), default=0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="iran-map" viewBox="0 0 {base.width} '
        f'{base.height}" role="group" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMidYMid meet">',
        '<g class="provinces" stroke="#fff" stroke-width="1.2" stroke-linejoin="round">',
    ]
    for province in base.provinces:
        killed = killed_by_province.get(province.code, 0)
        name = escape(province.name(lang))
        tip = name
        if killed:
            tip = escape(
                _("%(province)s: %(count)s killed")
                % {"province": province.name(lang), "count": localized_number(killed)}
            )
        out.append(
            f'<path d="{province.path}" fill="{shade_of(killed, most_killed)}">'
            f"<title>{tip}</title></path>"
        )
    out.append("</g>")
    out.append(
        f'<path class="outline" d="{base.outline}" fill="none" stroke="#3b3b3b" '
        'stroke-width="2" stroke-linejoin="round"/>'
    )
    if not focus:
        out.append('<g class="province-names" aria-hidden="true" pointer-events="none">')
        for province in base.provinces:
            x, y = province.label_at
            out.append(
                f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="middle">'
                f"{escape(province.name(lang))}</text>"
            )
        out.append("</g>")
    # Big markers first, small ones on top of them, so that every marker can be reached.
    ordered = sorted(markers, key=lambda m: (-m.victims, m.name))
    named = {id(m) for m in ordered[:labelled] if m.victims} if not focus else set()
    out.append('<g class="markers">')
    template = _("%(place)s (%(kind)s): %(count)s published victims")
    for marker in ordered:
        x, y = project(marker.lon, marker.lat)
        r = radius_of(marker.victims, most) if not focus else 24.0  # seen on a 20-rem map
        label = escape(
            template
            % {
                "place": marker.name,
                "kind": marker.kind_label,
                "count": localized_number(marker.victims),
            }
        )
        out.append(
            f'<a href="{escape(marker.url)}" aria-label="{label}" '
            f'class="marker kind-{escape(marker.kind)}">'
            f"<title>{label}</title>{_shape(marker.kind, x, y, r)}</a>"
        )
    out.append("</g>")
    if named:
        out.append('<g class="marker-names" aria-hidden="true" pointer-events="none">')
        for _marker, text, x, y, anchor, narrow in label_places(
            [m for m in ordered if id(m) in named], most, base.width
        ):
            hidden = "" if narrow else ' class="wide-only"'
            if lang == "fa":  # a right-to-left text starts at its right
                anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
            out.append(
                f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}"{hidden}>'
                f"{escape(text)}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))
