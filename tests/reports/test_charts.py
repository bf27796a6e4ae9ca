"""Charts: PNGs with ink on them, and Indic labels shaped (conjuncts, reordered vowel signs), not just drawn."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import uharfbuzz as hb
from matplotlib._text_helpers import layout
from matplotlib.ft2font import FT2Font
from PIL import Image

from trackchild_hub.domain.report_table import ChartSpec, Series
from trackchild_hub.reports import fonts
from trackchild_hub.reports.charts import is_horizontal, render_chart

from .tables import CHENNAI_TA, HOWRAH_HI, SHAPED_BN, district_chart, trend_chart


def _ink(png: bytes) -> tuple[tuple[int, int], float]:
    image = Image.open(io.BytesIO(png)).convert("L")
    dark = sum(image.histogram()[:200])
    return image.size, dark / (image.size[0] * image.size[1])


@pytest.mark.parametrize("spec", [trend_chart(), district_chart()], ids=["trend", "districts"])
def test_charts_render_as_pngs_with_ink(spec: object) -> None:
    png = render_chart(spec, "png", dpi=100)  # type: ignore[arg-type]
    assert png.startswith(b"\x89PNG")
    size, ink = _ink(png)
    assert size == (700, 340)
    assert 0.02 < ink < 0.5, "lines, bars and labels drawn; not blank, not a black box"


def test_svg_has_paths() -> None:
    svg = render_chart(trend_chart(), "svg")
    assert svg.startswith(b"<?xml")
    assert b"<path" in svg


def test_the_same_chart_renders_to_the_same_bytes() -> None:
    assert render_chart(district_chart()) == render_chart(district_chart())


def _harfbuzz_glyphs(path: Path, text: str) -> list[int]:
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


@pytest.mark.parametrize(
    ("text", "family"),
    [
        (HOWRAH_HI, "Noto Sans Devanagari"),
        ("क्षत्रिय", "Noto Sans Devanagari"),
        (SHAPED_BN, "Noto Sans Bengali"),
        (CHENNAI_TA, "Noto Sans Tamil"),
    ],
)
def test_matplotlib_shapes_indic_text_as_harfbuzz_does(text: str, family: str) -> None:
    # The glyphs matplotlib draws are the ones HarfBuzz (the reference shaper, also behind the PDF) chooses: the
    # conjuncts' ligature glyphs and the reordered vowel signs, not one glyph per character in typing order.
    face = next(face for face in fonts.SCRIPTS if face.family == family)
    drawn = [item.glyph_index for item in layout(text, FT2Font(str(face.path)))]
    shaped = _harfbuzz_glyphs(face.path, text)
    assert drawn == shaped
    font = FT2Font(str(face.path))
    unshaped = [font.get_char_index(ord(ch)) for ch in text]
    assert drawn != unshaped, "shaping changed something (else this test proves nothing)"


def test_long_or_many_names_get_horizontal_bars() -> None:
    long = ChartSpec("bar", "t", ("Children's homes", "Specialised adoption agencies"), (Series("n", (1, 2)),))
    short = ChartSpec("bar", "t", ("Howrah", "Kolkata"), (Series("n", (1, 2)),))
    many = ChartSpec("bar", "t", tuple(str(i) for i in range(9)), (Series("n", tuple(range(9))),))
    assert (is_horizontal(long), is_horizontal(short), is_horizontal(many)) == (True, False, True)
    assert not is_horizontal(ChartSpec("line", "t", long.x_labels, long.series))


def test_a_chart_with_every_value_hidden_still_renders() -> None:
    hidden = ChartSpec("bar", "t", ("Howrah", "Kolkata"), (Series("Missing", (None, None)),))
    size, ink = _ink(render_chart(hidden, "png", dpi=100))
    assert size == (700, 340)
    assert ink > 0.005  # axes, labels and the "no values shown" line
