"""Re-encoding an uploaded photo so that nothing but its pixels is kept.

A phone's JPEG carries EXIF (the GPS position where it was taken: for a found child, where the child is now), XMP,
maker notes, thumbnails and ICC profiles. Copying "allowed" chunks is how leaks happen, so the hub keeps none: it
decodes the image, turns it upright as its EXIF orientation says, copies the pixels into a fresh image with no
``info`` at all and encodes that as a baseline JPEG. Transparent PNG/WebP become opaque on white.

Decompression bombs: ``Image.open`` reads only the header, so the pixel count is checked against ``max_pixels``
before a single pixel is decoded; Pillow's own ``DecompressionBombError`` (and truncated or corrupt data) is turned
into the same ``BadUserInput``. Pure CPU work with no I/O: the caller runs it on a thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import BadUserInput
from .photos import ACCEPTED, JPEG, PNG, WEBP, CleanPhoto, sniff

PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
QUALITY = 85
# Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that; the hub's own limit must stay below its warning.
MAX_PIXELS_ALLOWED = Image.MAX_IMAGE_PIXELS or 89_478_485


def clean_photo(data: bytes, max_pixels: int, field: str) -> CleanPhoto:
    """``data`` (the uploaded bytes) as a metadata-free JPEG; BadUserInput naming ``field`` when it is not a JPEG,
    PNG or WebP photo of at most ``max_pixels`` pixels that decodes cleanly."""
    kind = sniff(data[:16])
    if kind is None:
        raise BadUserInput(field, f"is not a {ACCEPTED} image")
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > min(max_pixels, MAX_PIXELS_ALLOWED):
                raise BadUserInput(field, f"has {width}x{height} pixels, more than the {max_pixels} allowed")
            image.seek(0)  # the first frame of an animated PNG or WebP
            upright = ImageOps.exif_transpose(image)
            pixels = _opaque(upright)
    except BadUserInput:
        raise
    except Image.DecompressionBombError:
        raise BadUserInput(field, f"has more than the {max_pixels} pixels allowed") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise BadUserInput(field, f"is not a readable {ACCEPTED} image (corrupt or truncated)") from None
    clean = Image.new("RGB", pixels.size)  # a fresh image: no info, no EXIF, no XMP, no ICC profile
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return CleanPhoto(data=out.getvalue(), content_type=JPEG, width=clean.width, height=clean.height)


def _opaque(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency composited onto white (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")
