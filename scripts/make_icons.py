"""Draw Restwell's app icons (the favicon's crescent moon) as PNGs into static/icons/.

    python scripts/make_icons.py            # rewrite static/icons/*.png
    python scripts/make_icons.py --out DIR  # write them elsewhere (the tests compare)

The shapes follow static/favicon.svg on its 32-unit grid: a blue rounded square and a moon made
of a circle (centre 18.05, 16.81; radius 10) with a second circle (centre 22.5, 15.5; radius
8.86) cut out of it — the two arcs of the SVG path. Each icon is drawn four times larger and
scaled down (anti-aliasing). The files are committed; rerun this after changing the design.

- icon-192.png, icon-512.png ("any"): the favicon's rounded square on a transparent ground;
- icon-maskable-512.png ("maskable"): full bleed, the moon inside the central circle of
  radius 40 % that every mask keeps (the W3C manifest spec's safe zone);
- apple-touch-icon.png (180): full bleed and opaque; iOS rounds the corners itself.
"""

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (63, 95, 138, 255)  # --bs-primary in static/css/restwell.css
PAPER = (247, 246, 242, 255)  # --bs-body-bg
SUPERSAMPLE = 4
MOON = (18.05, 16.81, 10.0)  # centre x, centre y, radius on the 32-unit grid
CUT = (22.5, 15.5, 8.86)
SAFE_ZONE = 0.4  # radius of the maskable safe zone, as a share of the icon's width
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def _circle(draw, cx, cy, r, fill):
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)


def draw_icon(size: int, *, rounded: bool, moon_radius: float | None = None) -> Image.Image:
    """The icon at `size` px; `moon_radius` (share of the width) centres a resized moon."""
    big = size * SUPERSAMPLE
    unit = big / 32
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=6 * unit, fill=BLUE)
    else:
        draw.rectangle((0, 0, big, big), fill=BLUE)
    mx, my, mr = MOON
    cx, cy, cr = CUT
    if moon_radius is None:
        scale, dx, dy = unit, 0.0, 0.0
    else:
        # Resize the moon about its own centre and put that centre in the middle.
        scale = moon_radius * big / mr
        dx, dy = big / 2 - mx * scale, big / 2 - my * scale
    _circle(draw, mx * scale + dx, my * scale + dy, mr * scale, PAPER)
    _circle(draw, cx * scale + dx, cy * scale + dy, cr * scale, BLUE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


ICONS = {
    "icon-192.png": lambda: draw_icon(192, rounded=True),
    "icon-512.png": lambda: draw_icon(512, rounded=True),
    # The moon's circle (radius 0.3) sits well inside the 0.4 safe zone.
    "icon-maskable-512.png": lambda: draw_icon(512, rounded=False, moon_radius=0.3),
    "apple-touch-icon.png": lambda: draw_icon(180, rounded=False).convert("RGB"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, draw in ICONS.items():
        draw().save(args.out / name, optimize=True)
        print(args.out / name)


if __name__ == "__main__":
    main()
