"""The committed app icons are what scripts/make_icons.py draws, and fit their masks."""

import math
import subprocess
import sys
from pathlib import Path

from PIL import Image

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ICONS = BASE_DIR / "static" / "icons"
BLUE = (63, 95, 138)
PAPER = (247, 246, 242)


def test_committed_icons_are_the_scripts_output(tmp_path):
    subprocess.run(
        [sys.executable, str(BASE_DIR / "scripts" / "make_icons.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    made = sorted(path.name for path in tmp_path.iterdir())
    assert made == sorted(path.name for path in ICONS.glob("*.png"))
    for name in made:
        assert (tmp_path / name).read_bytes() == (ICONS / name).read_bytes(), name


def test_maskable_icon_keeps_the_moon_inside_the_safe_zone():
    image = Image.open(ICONS / "icon-maskable-512.png").convert("RGBA")
    size = image.width
    centre, safe = size / 2, 0.4 * size
    moon_pixels = 0
    for y in range(0, size, 2):
        for x in range(0, size, 2):
            red, green, blue, alpha = image.getpixel((x, y))
            assert alpha == 255, "a maskable icon is full bleed"
            if math.dist((x + 0.5, y + 0.5), (centre, centre)) > safe:
                assert (red, green, blue) == BLUE, (x, y)
            elif (red, green, blue) == PAPER:
                moon_pixels += 1
    assert moon_pixels > 5000  # the moon is there, not just a blue square


def test_apple_touch_icon_is_opaque_and_180_square():
    image = Image.open(ICONS / "apple-touch-icon.png")
    assert image.size == (180, 180)
    assert image.mode == "RGB"  # iOS shows transparency as black


def test_any_icons_have_rounded_transparent_corners():
    for name, size in (("icon-192.png", 192), ("icon-512.png", 512)):
        image = Image.open(ICONS / name).convert("RGBA")
        assert image.size == (size, size)
        assert image.getpixel((0, 0))[3] == 0
        assert image.getpixel((size // 2, 2))[:3] == BLUE
