"""Placeholder photos for a few of the demo's public notices, so ``make run`` shows ``publicNotices`` with photos.

Each is drawn with Pillow: a child's silhouette (a head and shoulders, one flat colour) on a plain background of
another colour, and nothing else: never a face, never a real child. The demo world only draws them (PNG bytes, as a
phone's upload would be); ``sandbox/photo_seed.py`` sends them through the hub's own upload path.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

PHOTO_NOTICES = 8  # notices given a photo: the newest open missing and found children (half each)
SIZE = (360, 450)  # 4:5, as a passport-style photo
# (background, silhouette): soft backgrounds, darker figures, so each placeholder looks different from the next
PALETTE = (
    ((222, 235, 247), (49, 99, 149)),
    ((253, 235, 221), (166, 86, 40)),
    ((229, 245, 224), (49, 120, 70)),
    ((240, 230, 246), (106, 61, 154)),
    ((255, 247, 214), (150, 110, 20)),
    ((224, 243, 243), (30, 115, 120)),
    ((250, 228, 234), (160, 50, 90)),
    ((235, 235, 235), (80, 80, 80)),
)


def placeholder_photo(index: int, seed: int) -> bytes:
    """One placeholder as PNG bytes: colours by ``index``, the figure's build and place jittered by ``seed``."""
    rng = random.Random(seed * 1009 + index)
    background, figure = PALETTE[index % len(PALETTE)]
    width, height = SIZE
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    centre = width // 2 + rng.randint(-20, 20)
    head = rng.randint(62, 78)  # radius
    head_y = int(height * 0.38) + rng.randint(-15, 15)
    shoulders = rng.randint(130, 165)  # half the shoulders' width
    draw.ellipse((centre - head, head_y - head, centre + head, head_y + head), fill=figure)
    neck_y = head_y + head - 8
    draw.rectangle((centre - head // 3, neck_y - 10, centre + head // 3, neck_y + 30), fill=figure)
    body_top = neck_y + 22
    draw.rounded_rectangle(
        (centre - shoulders, body_top, centre + shoulders, height + 60), radius=shoulders // 2, fill=figure
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def placeholder_photos(count: int, seed: int) -> list[bytes]:
    return [placeholder_photo(i, seed) for i in range(count)]
