"""JupyterLab: the jupytext .py notebooks open as notebooks, run, and the scenario panel works.

The browser test starts a real JupyterLab server (127.0.0.1, a free port, a
token) on a copy of the notebooks with the project's ``jupytext.toml`` and the
viewer setting ``make lab`` installs (``make lab-settings``), opens it in
headless Chromium and drives it over the DevTools protocol (a small client on
``websocket-client``): it opens ``notebooks/01_inventory.py`` and
``notebooks/scenario_panel.py`` the way a double-click does, runs every cell,
and reads the outputs back from the page. Skipped only where Debian's
``chromium`` is not installed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import jupytext
import pytest

from bulkimpact.report.screenshots import find_chromium

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BIN = Path(sys.executable).parent
CHROMIUM = find_chromium()
#: Direct connections only: the server and the browser are both on 127.0.0.1.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _project_copy(root: Path, names: list[str]) -> Path:
    """A project folder with the repository's jupytext.toml and some notebooks."""
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "jupytext.toml", root / "jupytext.toml")
    for name in names:
        shutil.copy(NOTEBOOKS / name, root / "notebooks" / name)
    return root


def test_notebooks_carry_a_kernelspec_and_survive_a_save_unchanged(tmp_path: Path) -> None:
    # Saving in JupyterLab writes the .py back through jupytext with jupytext.toml; the
    # filters keep run-time metadata out, so a save leaves the file in git unchanged.
    names = sorted(p.name for p in NOTEBOOKS.glob("*.py"))
    assert "scenario_panel.py" in names and "00_overview.py" in names
    project = _project_copy(tmp_path, names)
    for name in names:
        text = (project / "notebooks" / name).read_text("utf-8")
        nb = jupytext.reads(text, fmt="py:percent")
        assert nb.metadata["kernelspec"]["name"] == "python3", name
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), name
    synced = subprocess.run([str(BIN / "jupytext"), "--sync", *sorted(
        str(p) for p in (project / "notebooks").glob("*.py"))], cwd=project,
        capture_output=True, text=True)
    assert synced.returncode == 0, synced.stderr
    for name in names:
        paired = project / "notebooks" / name.replace(".py", ".ipynb")
        assert paired.is_file(), f"{name}: jupytext.toml pairs notebooks/ with .ipynb"
        ipynb = json.loads(paired.read_text("utf-8"))
        ipynb["metadata"]["language_info"] = {"name": "python"}  # what a run adds
        ipynb["cells"][0]["metadata"]["scrolled"] = True
        text = jupytext.writes(jupytext.reads(json.dumps(ipynb), fmt="ipynb"),
                               fmt="py:percent", config=jupytext.config.load_jupytext_config(
                                   str(project / "notebooks" / name)))
        assert text == (NOTEBOOKS / name).read_text("utf-8"), f"{name} changes on save"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited: {log.read_text()[-3000:]}")
        try:
            with _LOCAL.open(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"no answer from {url} in {seconds} s: {log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Page:
    """One browser tab over the Chrome DevTools protocol."""

    def __init__(self, ws_url: str) -> None:
        import websocket

        self._ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self._id = 0

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str, await_promise: bool = False):
        result = self.send("Runtime.evaluate", expression=expression,
                           awaitPromise=await_promise, returnByValue=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise AssertionError(f"{expression[:80]}...: "
                                 f"{details.get('exception', {}).get('description', details)}")
        return result["result"].get("value")

    def wait_for(self, expression: str, seconds: float, what: str):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out after {seconds} s waiting for {what}; page text: "
                             + str(self.evaluate("document.body.innerText"))[-2000:])

    def close(self) -> None:
        self._ws.close()


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, Page]]:
    """A JupyterLab server on a project copy and a headless Chromium tab on it."""
    from bulkimpact.report.notebooks import write_paired_notebooks

    project = _project_copy(tmp_path / "project", ["01_inventory.py", "scenario_panel.py"])
    # With the .ipynb that `make notebooks` writes beside them, as a newcomer has them.
    write_paired_notebooks(sorted((project / "notebooks").glob("*.py")))
    settings = tmp_path / "lab-settings"
    subprocess.run(["make", "-s", "-C", str(ROOT), "lab-settings",
                    f"LAB_SETTINGS_DIR={settings}"], check=True)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces")}
    env.pop("PYTHONPATH", None)
    server_log = tmp_path / "jupyterlab.log"
    with open(server_log, "wb") as log:
        server = subprocess.Popen(
            [str(BIN / "jupyter-lab"), "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={project}",
             f"--LabApp.app_settings_dir={settings}", "--LabApp.expose_app_in_browser=True",
             "--LabApp.news_url=", "--LabApp.extension_manager=readonly", "--allow-root"],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    browser = None
    page = None
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(f"{base}/api/status?token={token}", 90, server, server_log)
        profile = tmp_path / "chromium-profile"
        browser_log = tmp_path / "chromium.log"
        with open(browser_log, "wb") as log:
            browser = subprocess.Popen(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--no-proxy-server", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                 "--remote-debugging-port=0", "--remote-allow-origins=*",
                 f"--user-data-dir={profile}", "about:blank"],
                stdout=log, stderr=subprocess.STDOUT)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            assert browser.poll() is None, browser_log.read_text()[-3000:]
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.1)
        devtools = int(port_file.read_text().split()[0])
        with _LOCAL.open(f"http://127.0.0.1:{devtools}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        page.send("Runtime.enable")
        # A headless tab never has the focus; JupyterLab's "current notebook" follows focus.
        page.send("Emulation.setFocusEmulationEnabled", enabled=True)
        page.send("Page.navigate", url=f"{base}/lab?token={token}")
        page.wait_for("!!(window.jupyterapp && window.jupyterapp.shell)", 90,
                      "JupyterLab to start in the browser")
        page.evaluate("window.jupyterapp.restored", await_promise=True)
        yield base, page
    finally:
        if page is not None:
            page.close()
        if browser is not None:
            _stop(browser)
        _stop(server)


#: The notebook panel the test works on (set by _open).
PANEL = "window.__bulkimpact_panel"


def _open(page: Page, path: str) -> None:
    """Open `path` as a double-click does (the default viewer), wait for its kernel."""
    page.evaluate(f"window.jupyterapp.commands.execute('docmanager:open', {{path: '{path}'}})"
                  f".then(w => {{ {PANEL} = w; window.jupyterapp.shell.activateById(w.id); "
                  "return true; })", await_promise=True)
    page.wait_for(f"(() => {{ const w = {PANEL}; return !!w && w.context.path === '{path}' "
                  "&& w.node.classList.contains('jp-NotebookPanel') && "
                  "w.content.widgets.length > 2; })()", 60, f"{path} to open as a notebook")
    name = page.evaluate(f"{PANEL}.sessionContext.ready.then("
                         f"() => {PANEL}.sessionContext.session.kernel.name)", await_promise=True)
    assert name == "python3"
    page.wait_for(f"window.jupyterapp.shell.currentWidget === {PANEL}", 30,
                  f"{path} to be the current widget")


#: Every output of the notebook, from its model (cells out of view are not laid out, so the
#: page's innerText would miss them); errors as "ename: evalue".
OUTPUTS = f"""(() => {{
  const texts = [];
  for (const cell of {PANEL}.content.widgets) {{
    if (cell.model.type !== 'code') continue;
    for (const o of cell.model.outputs.toJSON()) {{
      if (o.text) texts.push([].concat(o.text).join(''));
      if (o.ename) texts.push(o.ename + ': ' + o.evalue);
      for (const kind of ['text/markdown', 'text/plain', 'text/html'])
        if (o.data && o.data[kind]) texts.push([].concat(o.data[kind]).join(''));
    }}
  }}
  return texts.join('\\n');
}})()"""


def _errors(page: Page) -> list[str]:
    return page.evaluate(
        f"{PANEL}.content.widgets.filter(c => c.model.type === 'code').flatMap("
        "c => c.model.outputs.toJSON().filter(o => o.output_type === 'error')"
        ".map(o => o.ename + ': ' + o.evalue))")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_lab_runs_a_py_notebook_and_the_scenario_panel(lab, capsys) -> None:
    _, page = lab
    run_all = ("window.jupyterapp.commands.execute('notebook:run-all-cells')"
               ".then(() => true)")

    # A report notebook, straight from its .py: it runs to its findings.
    _open(page, "notebooks/01_inventory.py")
    page.evaluate(run_all, await_promise=True)
    page.wait_for(f"{OUTPUTS}.includes('of 45 datasets sit in')", 120,
                  "the inventory notebook's findings")
    assert _errors(page) == []

    # The scenario panel: table and frontier appear; untick a dataset and they follow.
    _open(page, "notebooks/scenario_panel.py")
    page.evaluate(run_all, await_promise=True)
    page.wait_for(f"(() => {{ const n = {PANEL}.node; "
                  "return !!n.querySelector('.widget-checkbox input') && "
                  "n.textContent.includes('45 datasets held') && "
                  "n.textContent.includes('minimal escalation') && "
                  "!!n.querySelector('.jp-OutputArea-output figure img'); })()",
                  120, "the scenario panel with its table and frontier")
    started = time.perf_counter()
    page.evaluate(f"{PANEL}.node.querySelector('.widget-checkbox input').click()")
    page.wait_for(f"{PANEL}.node.textContent.includes('44 datasets held, 1 switched off')", 60,
                  "the panel to follow a dataset switched off")
    seconds = time.perf_counter() - started
    status = page.evaluate(f"Array.from({PANEL}.node.querySelectorAll('.widget-html'))"
                           ".map(e => e.textContent).find(t => t.includes('switched off'))")
    assert _errors(page) == []
    with capsys.disabled():
        print(f"\n[lab] panel update in the browser (click to new table): {seconds:.2f} s; "
              f"status: {status}")


def test_notebooks_open_in_lab_after_make_notebooks(tmp_path: Path) -> None:
    """`make notebooks` (bulkimpact notebooks --to-ipynb) then `make lab`: on a copy WITH the
    .ipynb files, JupyterLab's jupytext contents manager opens every numbered notebook."""
    from jupytext import TextFileContentsManager

    from bulkimpact.report.notebooks import find_notebooks, write_paired_notebooks

    names = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    project = _project_copy(tmp_path, names)
    past = time.time() - 3600  # a checkout older than the run, as after `git clone`
    for path in (project / "notebooks").glob("*.py"):
        os.utime(path, (past, past))
    written = write_paired_notebooks(find_notebooks(project / "notebooks"))
    assert len(written) == len(names)
    manager = TextFileContentsManager(root_dir=str(project))
    for name in names:
        for path in (f"notebooks/{name}", f"notebooks/{name[:-3]}.ipynb"):
            model = manager.get(path)  # HTTP 400 "… is more recent than …" when out of sync
            assert model["type"] == "notebook" and model["content"].cells, path
