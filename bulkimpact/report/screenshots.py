"""Screenshots of a report folder in headless Chromium, with the network off.

A browser check for what reviewers see: every page (the index and each
report) is opened from disk in Debian's ``chromium`` with a dead proxy and a
host resolver that finds nothing, so a page that needed the network would
show it. Chromium's network log is read back: any request a page itself made
for an ``http(s)`` URL is reported, and fails the check. Screenshots go to
``<reports>/screenshots/``::

    python -m bulkimpact.report.screenshots reports/

Without Chromium the command says so and exits 0 (skipped).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Screenshot", "find_chromium", "main", "screenshot_page", "screenshot_reports"]

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Everything that could reach the network is off or pointed at nothing; the
# browser's own background traffic (updates, accounts) is told apart from the
# page's in the network log.
_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
)


@dataclass(frozen=True)
class Screenshot:
    """One page shot.

    Attributes
    ----------
    page : Path
        The HTML page.
    png : Path
        The screenshot (missing if the browser failed).
    requests : tuple of str
        URLs the page itself asked the network for; empty for a self-contained page.
    error : str
        What went wrong with the browser, if anything.
    """

    page: Path
    png: Path
    requests: tuple[str, ...] = ()
    error: str = ""

    @property
    def ok(self) -> bool:
        """The screenshot exists and the page made no network request."""
        return not self.error and not self.requests and self.png.is_file()


def find_chromium() -> str | None:
    """The Chromium executable: ``$CHROMIUM`` if set, else the first on ``PATH``.

    Examples
    --------
    >>> find_chromium() is None or os.path.isabs(find_chromium())
    True
    """
    if os.environ.get("CHROMIUM"):
        return shutil.which(os.environ["CHROMIUM"])
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name))), None)


def page_requests(net_log: dict) -> list[str]:
    """URLs that a ``file://`` page requested, from a Chromium network log.

    Requests of the browser itself (update checks and the like) have no page
    behind them and are left out.

    Examples
    --------
    >>> log = {"constants": {"logEventTypes": {"URL_REQUEST_START_JOB": 7}},
    ...        "events": [
    ...   {"type": 7, "params": {"url": "https://cdn.example/a.js", "initiator": "null",
    ...                          "network_isolation_key": "file:// file://"}},
    ...   {"type": 7, "params": {"url": "https://update.example/", "initiator": "not an origin",
    ...                          "network_isolation_key": "null null"}}]}
    >>> page_requests(log)
    ['https://cdn.example/a.js']
    """
    start_job = net_log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    found = []
    for event in net_log.get("events", []):
        params = event.get("params", {})
        url = params.get("url", "")
        if (event.get("type") == start_job and url.startswith(("http:", "https:", "ws:", "wss:"))
                and "file://" in params.get("network_isolation_key", "")):
            found.append(url)
    return list(dict.fromkeys(found))


def screenshot_page(chromium: str, page: Path, png: Path, *, width: int = 1280,
                    height: int = 2000, timeout: float = 120) -> Screenshot:
    """Open `page` in headless Chromium with the network off and save a screenshot.

    The screenshot is written next to `png` under a temporary name and moved
    into place, so an interrupted run leaves no partial image.

    Parameters
    ----------
    chromium : str
        Browser executable (see :func:`find_chromium`).
    page : Path
        HTML file.
    png : Path
        Where the screenshot goes.
    width, height : int
        Window size in CSS pixels; the shot shows the top `height` pixels.
    timeout : float
        Seconds before the browser is given up on.

    Returns
    -------
    Screenshot
    """
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=png.parent, prefix=".chromium-") as scratch:
        shot, net_log = Path(scratch, "shot.png"), Path(scratch, "net-log.json")
        command = [chromium, *_FLAGS, f"--user-data-dir={Path(scratch, 'profile')}",
                   f"--log-net-log={net_log}", f"--screenshot={shot}",
                   f"--window-size={width},{height}", page.resolve().as_uri()]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                 check=False)
        except subprocess.TimeoutExpired:
            return Screenshot(page, png, error=f"chromium did not finish in {timeout:.0f} s")
        if not shot.is_file():
            tail = " | ".join(run.stderr.strip().splitlines()[-3:])
            return Screenshot(page, png, error=f"chromium exited {run.returncode}: {tail}")
        try:
            requests = tuple(page_requests(json.loads(net_log.read_text("utf-8"))))
        except (OSError, ValueError, KeyError) as exc:
            return Screenshot(page, png, error=f"unreadable network log: {exc}")
        os.replace(shot, png)
    return Screenshot(page, png, requests)


def report_pages(reports_dir: Path) -> list[Path]:
    """The index pages, the glossaries and every report of a report folder, indexes first."""
    reports = sorted(p for p in reports_dir.glob("*/*.html") if p.parent.name != "screenshots")
    top = sorted(reports_dir.glob("*.html"), key=lambda p: (not p.name.startswith("index"),
                                                            p.name != "index.html", p.name))
    return top + reports


def screenshot_reports(reports_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str]
                       | None = None, *, chromium: str | None = None, width: int = 1280,
                       height: int = 2000, parallel: int = 2) -> list[Screenshot]:
    """Screenshot the index and every report of `reports_dir`.

    Parameters
    ----------
    reports_dir : path-like
        Output folder of ``bulkimpact report``.
    out_dir : path-like, optional
        Where screenshots go; ``reports_dir/screenshots`` by default. Names:
        ``index.png``, ``index.en.png``, ``glossary.nl.png`` and
        ``<inventory>__<notebook>.<lang>.png``.
    chromium : str, optional
        Browser executable; found with :func:`find_chromium` by default.
    width, height : int
        Window size.
    parallel : int
        Browsers running at once.

    Returns
    -------
    list of Screenshot

    Raises
    ------
    FileNotFoundError
        No browser, or no page in `reports_dir`.
    """
    browser = chromium or find_chromium()
    if browser is None:
        raise FileNotFoundError("chromium not found (install Debian's chromium, or set "
                                "CHROMIUM to the browser's path)")
    folder = Path(reports_dir)
    pages = report_pages(folder)
    if not pages:
        raise FileNotFoundError(f"no index.html or reports in {folder}: run bulkimpact report "
                                "first")
    target = Path(out_dir) if out_dir is not None else folder / "screenshots"

    def shoot(page: Path) -> Screenshot:
        name = page.stem if page.parent == folder else f"{page.parent.name}__{page.stem}"
        return screenshot_page(browser, page, target / f"{name}.png", width=width, height=height)

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        return list(pool.map(shoot, pages))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: screenshots of a report folder; exit 1 if a page failed the check."""
    parser = argparse.ArgumentParser(
        prog="python -m bulkimpact.report.screenshots",
        description="Screenshots of the index and every report in headless Chromium with the "
                    "network off; fails if a page asks the network for anything.")
    parser.add_argument("reports", nargs="?", default="reports", help="report folder")
    parser.add_argument("--out", default=None, help="screenshot folder "
                        "(default: REPORTS/screenshots)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2000)
    args = parser.parse_args(argv)
    if find_chromium() is None:
        print("screenshots skipped: chromium not found (apt-get install chromium, or set "
              "CHROMIUM to the browser's path)", file=sys.stderr)
        return 0
    try:
        shots = screenshot_reports(args.reports, args.out, width=args.width, height=args.height)
    except FileNotFoundError as exc:
        print(f"screenshots: error: {exc}", file=sys.stderr)
        return 2
    for shot in shots:
        if shot.ok:
            print(f"ok      {shot.png}")
        elif shot.requests:
            print(f"NETWORK {shot.page} asked for: {', '.join(shot.requests)}")
        else:
            print(f"FAILED  {shot.page}: {shot.error}")
    bad = sum(not shot.ok for shot in shots)
    print(f"{len(shots)} pages, {bad} failed the offline check")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
