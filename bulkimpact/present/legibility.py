"""What makes a figure readable for people: a short alt text, legible text, telling colours.

Every figure of the reports passes through :func:`bulkimpact.present.figures.figure_html`,
which uses this module to

- keep the alt text a summary (:func:`summary_alt`): at most :data:`ALT_MAX_CHARS`
  characters and :data:`ALT_MAX_SENTENCES` sentences, the finding first; the rest of the
  description stays on the page as the image's long description (``aria-describedby``),
  for screen readers only;
- mark the image with the size of its smallest text in image pixels
  (:func:`smallest_text_px`), so that the size as shown can be measured in a browser
  (:mod:`bulkimpact.report.layout`): text must be at least :data:`MIN_TEXT_PX` CSS pixels
  on a 1366×768 screen.

The level palette is checked by :func:`palette_distances`: every two levels at least
:data:`MIN_COLOUR_DIFFERENCE` apart in CAM02-UCS (ΔE', Luo, Cui and Li 2006), for normal
vision and for each simulated full colour-vision deficiency (Machado, Oliveira and
Fernandes 2009, as :mod:`colorspacious` implements them), and lightness falling with the
level, so the order also reads in greyscale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["ALT_MAX_CHARS", "ALT_MAX_SENTENCES", "MIN_COLOUR_DIFFERENCE", "MIN_TEXT_PX",
           "lightness", "palette_distances", "sentences", "smallest_text_px", "summary_alt"]

#: An alt text is a summary: at most this many characters ...
ALT_MAX_CHARS = 400
#: ... and this many sentences.
ALT_MAX_SENTENCES = 4
#: The smallest text in a figure, in CSS pixels, as shown on a 1366×768 screen.
MIN_TEXT_PX = 11.0
#: The least CAM02-UCS colour difference (ΔE') between two levels' colours.
MIN_COLOUR_DIFFERENCE = 10.0
#: The colour-vision deficiencies simulated (colorspacious names), at full severity.
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """`text` cut after every ``.``, ``!`` or ``?`` followed by white space.

    An abbreviation (``nr. 84``) counts as an end too: the count errs on the long side.

    Examples
    --------
    >>> sentences("Up it goes. Line chart of x.  Data: 1, 2.")
    ['Up it goes.', 'Line chart of x.', 'Data: 1, 2.']
    >>> sentences("")
    []
    """
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def summary_alt(alt: str, max_chars: int = ALT_MAX_CHARS,
                max_sentences: int = ALT_MAX_SENTENCES) -> tuple[str, str]:
    """`alt` split into a summary (its leading sentences, within the limits) and the rest.

    A first sentence longer than `max_chars` is cut at a word and ends in ``…``; the rest
    then holds the whole text.

    Examples
    --------
    >>> summary_alt("Finding. Chart of x. " + "Point %s. " * 3 % (1, 2, 3), max_sentences=3)
    ('Finding. Chart of x. Point 1.', 'Point 2. Point 3.')
    >>> short, rest = summary_alt("word " * 100, max_chars=20)
    >>> short, len(short) <= 20, rest == " ".join(["word"] * 100)
    ('word word word…', True, True)
    """
    parts = sentences(alt)
    kept: list[str] = []
    for part in parts:
        if len(kept) == max_sentences or len(" ".join([*kept, part])) > max_chars:
            break
        kept.append(part)
    if not kept and parts:
        cut = parts[0][: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
        return cut + "…", " ".join(parts)
    return " ".join(kept), " ".join(parts[len(kept):])


def smallest_text_px(fig, dpi: float) -> float:
    """The size of the smallest visible text of a drawn `fig`, in pixels at `dpi`.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(); ax = fig.subplots()
    >>> _ = ax.set_title("T", fontsize=20); _ = ax.set_xlabel("x", fontsize=9)
    >>> fig.canvas.draw()
    >>> smallest_text_px(fig, dpi=72) <= 9.0
    True
    """
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes, default=float("inf")) * dpi / 72


def lightness(colours: Sequence[str]) -> list[float]:
    """CAM02-UCS lightness J' of each colour (0 black … 100 white).

    Examples
    --------
    >>> [round(j) for j in lightness(["#000000", "#FFFFFF"])]
    [0, 100]
    """
    from colorspacious import cspace_convert
    from matplotlib.colors import to_rgb

    return [float(cspace_convert(to_rgb(c), "sRGB1", "CAM02-UCS")[0]) for c in colours]


def palette_distances(colours: Sequence[str]) -> dict[str, float]:
    """The least ΔE' (CAM02-UCS) between two of `colours`, for normal vision and for each
    simulated colour-vision deficiency at full severity.

    Examples
    --------
    >>> d = palette_distances(["#000000", "#FFFFFF"])
    >>> sorted(d), round(d["normal"])
    (['deuteranomaly', 'normal', 'protanomaly', 'tritanomaly'], 100)
    """
    import itertools

    import numpy as np
    from colorspacious import cspace_convert, deltaE
    from matplotlib.colors import to_rgb

    rgb = [np.array(to_rgb(c)) for c in colours]
    seen = {"normal": rgb}
    for kind in DEFICIENCIES:
        space = {"name": "sRGB1+CVD", "cvd_type": kind, "severity": 100}
        seen[kind] = [np.clip(cspace_convert(c, space, "sRGB1"), 0, 1) for c in rgb]
    return {kind: float(min(deltaE(a, b, input_space="sRGB1")
                            for a, b in itertools.combinations(shown, 2)))
            for kind, shown in seen.items()}
