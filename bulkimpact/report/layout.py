"""How a report page lays out in a browser window: its height, what scrolls sideways, how
large the text of its figures is shown.

A reviewer reads the reports on an ordinary laptop screen (1366×768 CSS pixels). Whether a
table fits or a figure's text is legible there is a fact of the browser's layout, not of
the HTML source, so it is measured in headless Chromium with the network off (the flags of
:mod:`bulkimpact.report.screenshots`): a copy of the page gets a small script that, once
the page has loaded, writes the measurements into the page as JSON, and the browser's
``--dump-dom`` hands them back.

The text size of a figure comes from the figure itself: :func:`bulkimpact.present.figures.
figure_html` marks each image with the size, in image pixels, of the smallest text drawn
in it (``data-min-font-px``); shown at ``shown_width`` of its ``natural_width`` pixels,
that text is ``min_font_px · shown_width / natural_width`` CSS pixels high.

Command line (one line of JSON per page)::

    python -m bulkimpact.report.layout reports/baseline/04_decision_rules.nl.html
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bulkimpact.report.screenshots import _FLAGS, find_chromium

__all__ = ["SCREEN", "FigureLayout", "PageLayout", "TableLayout", "measure_page"]

#: The screen a reviewer reads on: a common laptop, in CSS pixels (width, height).
SCREEN = (1366, 768)

_RESULT_ID = "bi-layout-result"
# Runs after the load event (images decoded, so their sizes are known). A table scrolls
# sideways when the nearest ancestor that may scroll (overflow-x auto or scroll) is
# narrower than its content, or when it reaches past the window.
_PROBE = """
<script>
window.addEventListener("load", function () {
  var root = document.documentElement;
  function scroller(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll") { return p; }
    }
    return null;
  }
  var tables = Array.prototype.map.call(document.querySelectorAll("table"), function (t) {
    var box = scroller(t), r = t.getBoundingClientRect(), cap = t.querySelector("caption");
    return {cls: t.className, caption: cap ? cap.textContent.trim().slice(0, 120) : "",
            in_verdict: !!t.closest(".bi-verdict"), width: r.width, right: r.right,
            scroll_width: box ? box.scrollWidth : t.scrollWidth,
            client_width: box ? box.clientWidth : root.clientWidth};
  });
  var figures = Array.prototype.map.call(document.querySelectorAll("img"), function (i) {
    return {alt: i.getAttribute("alt") || "", natural_width: i.naturalWidth,
            shown_width: i.getBoundingClientRect().width,
            min_font_px: parseFloat(i.getAttribute("data-min-font-px") || "NaN")};
  });
  var out = document.createElement("pre");
  out.id = "RESULT_ID";
  out.textContent = JSON.stringify({
    width: root.clientWidth, height: root.scrollHeight, scroll_width: root.scrollWidth,
    viewport_height: window.innerHeight, tables: tables, figures: figures});
  document.body.appendChild(out);
});
</script>
""".replace("RESULT_ID", _RESULT_ID)
_RESULT = re.compile(rf'<pre id="{_RESULT_ID}">(.*?)</pre>', re.DOTALL)


@dataclass(frozen=True)
class TableLayout:
    """A table as laid out: its class, caption, and whether it scrolls sideways."""

    cls: str
    caption: str
    in_verdict: bool
    width: float
    right: float
    scroll_width: float
    client_width: float

    @property
    def scrolls(self) -> bool:
        """True when part of the table is out of sight without scrolling sideways."""
        return self.scroll_width > self.client_width + 1


@dataclass(frozen=True)
class FigureLayout:
    """An image as shown: its natural and shown width, and its smallest text."""

    alt: str
    natural_width: float
    shown_width: float
    min_font_px: float

    @property
    def shown_font_px(self) -> float:
        """The figure's smallest text in CSS pixels as shown (NaN for an unmarked image)."""
        if not self.natural_width:
            return float("nan")
        return self.min_font_px * self.shown_width / self.natural_width


@dataclass(frozen=True)
class PageLayout:
    """A page laid out in a window of :attr:`width` CSS pixels.

    Attributes
    ----------
    width : float
        The window's width.
    height : float
        The whole page's height.
    scroll_width : float
        The page's width; above :attr:`width` the page scrolls sideways.
    viewport_height : float
        What the window shows of the page: one screenful. Chromium's window of 768 pixels
        keeps part of them for its bars, as a browser on a 768-pixel-high laptop screen does
        (625 pixels with Debian's chromium 150).
    tables, figures : tuple
        Every table and image of the page, in document order.
    """

    width: float
    height: float
    scroll_width: float
    viewport_height: float
    tables: tuple[TableLayout, ...]
    figures: tuple[FigureLayout, ...]

    @property
    def screens(self) -> float:
        """The page's height in screenfuls (:attr:`viewport_height`).

        Examples
        --------
        >>> PageLayout(1366, 3840, 1366, 768, (), ()).screens
        5.0
        """
        return self.height / self.viewport_height

    @classmethod
    def from_json(cls, data: dict) -> PageLayout:
        """The layout from the probe's JSON record."""
        return cls(data["width"], data["height"], data["scroll_width"], data["viewport_height"],
                   tuple(TableLayout(**t) for t in data["tables"]),
                   tuple(FigureLayout(**f) for f in data["figures"]))


def probe_result(dom: str) -> dict:
    """The probe's JSON record in a dumped DOM.

    Examples
    --------
    >>> probe_result('<body><pre id="bi-layout-result">{&quot;width&quot;: 1}</pre></body>')
    {'width': 1}
    """
    match = _RESULT.search(dom)
    if match is None:
        raise ValueError("the page's layout was not measured (the probe wrote no result)")
    return json.loads(html.unescape(match.group(1)))


def with_probe(page: str) -> str:
    """`page` with the measuring script placed before ``</body>`` (or at the end)."""
    at = page.rfind("</body>")
    return page + _PROBE if at < 0 else page[:at] + _PROBE + page[at:]


def measure_page(page: Path, *, width: int = SCREEN[0], height: int = SCREEN[1],
                 chromium: str | None = None, timeout: float = 120) -> PageLayout:
    """Lay `page` out in headless Chromium at `width` × `height` and measure it.

    Parameters
    ----------
    page : Path
        A self-contained HTML page (the copy measured sits in a temporary folder).
    width, height : int
        The window in CSS pixels (:data:`SCREEN` by default).
    chromium : str, optional
        Browser executable; :func:`~bulkimpact.report.screenshots.find_chromium` by default.
    timeout : float
        Seconds before the browser is given up on.

    Returns
    -------
    PageLayout

    Raises
    ------
    FileNotFoundError
        No browser.
    RuntimeError
        The browser failed or gave no measurement.
    """
    browser = chromium or find_chromium()
    if browser is None:
        raise FileNotFoundError("chromium not found (install Debian's chromium, or set "
                                "CHROMIUM to the browser's path)")
    with tempfile.TemporaryDirectory(prefix="bi-layout-") as scratch:
        copy = Path(scratch, "page.html")
        copy.write_text(with_probe(Path(page).read_text("utf-8")), "utf-8")
        command = [browser, *_FLAGS, f"--user-data-dir={Path(scratch, 'profile')}",
                   "--dump-dom", "--virtual-time-budget=20000",
                   f"--window-size={width},{height}", copy.as_uri()]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                 check=False)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"{page}: chromium did not finish in {timeout:.0f} s") from exc
    try:
        return PageLayout.from_json(probe_result(run.stdout))
    except ValueError as exc:
        tail = " | ".join(run.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"{page}: {exc} (chromium exited {run.returncode}: {tail})") from exc


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: each page's layout at 1366×768 as one line of JSON."""
    import dataclasses

    pages = list(argv if argv is not None else sys.argv[1:])
    if not pages:
        print("usage: python -m bulkimpact.report.layout PAGE.html ...", file=sys.stderr)
        return 2
    for page in pages:
        layout = measure_page(Path(page))
        print(json.dumps({"page": page, "screens": round(layout.screens, 2),
                          **dataclasses.asdict(layout)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
