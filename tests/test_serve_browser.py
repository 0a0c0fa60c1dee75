"""`disclosure serve` in a real headless browser (Debian's chromium), driven over the
DevTools protocol: the command is started as a user would start it, the browser opens the
upload page, the example report and its notice list are put into the file inputs, the form
is submitted, and the rendered result is read: 「74」「77」 and the 救灾 verdict."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_render_browser import CHROMIUM, FLAGS

from .conftest import EXAMPLE, ROOT, disclosure_command

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium); the browser test needs it")

NOTICES = ROOT / "corpus" / "examples" / "notices-2023.csv"
# --virtual-time-budget would freeze the page's clock while we wait on the server.
BROWSER_FLAGS = [f for f in FLAGS if not f.startswith("--virtual-time-budget")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(what, ready, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = ready()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


class DevTools:
    """The few DevTools protocol calls the test needs, over one page's websocket."""

    def __init__(self, url: str):
        import websocket

        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message.get("result", {})

    def evaluate(self, expression: str):
        got = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return got["result"].get("value")

    def set_files(self, selector: str, path: Path) -> None:
        root = self.call("DOM.getDocument")["root"]["nodeId"]
        node = self.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        assert node, f"no {selector} on the page"
        self.call("DOM.setFileInputFiles", nodeId=node, files=[str(path)])

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen([*disclosure_command(), "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until("disclosure serve", lambda: proc.poll() is not None or _answers(url))
        assert proc.poll() is None, proc.stderr.read().decode()
        yield url, tmp_path / "tmp"
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.fixture
def browser(tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    proc = subprocess.Popen([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}",
                             "--remote-debugging-port=0", "--remote-allow-origins=*",
                             "about:blank"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        active = profile / "DevToolsActivePort"
        _wait_until("chromium's DevTools port",
                    lambda: active.exists() and len(active.read_text().splitlines()) >= 2)
        port = active.read_text().splitlines()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        yield tools
        tools.close()
    finally:
        proc.terminate()
        proc.wait(30)


def test_upload_the_example_and_read_the_result_in_the_browser(server, browser):
    url, tmp = server
    browser.call("Page.enable")
    browser.call("Page.navigate", url=url)
    _wait_until("the upload page", lambda: browser.evaluate(
        "document.body && document.body.getAttribute('data-ready')") == "1")
    browser.set_files("#report-input", EXAMPLE)
    browser.set_files("#notices-input", NOTICES)
    chosen = browser.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('.drop .chosen'),"
        " function (s) { return s.textContent; })")
    assert chosen[:2] == ["example-report.txt", "notices-2023.csv"]  # the page saw them
    browser.evaluate("document.querySelector('#check-form button').click()")

    _wait_until("the result page", lambda: browser.evaluate(
        "location.pathname.indexOf('/result/') === 0 && document.readyState === 'complete'"
        " && !!document.getElementById('summary')"), timeout=120)
    assert browser.evaluate("document.body.getAttribute('data-ready')") == "1"
    text = browser.evaluate("document.body.innerText")
    assert "一(三)称 77 条，一(一)称 74 条" in text
    verdict = browser.evaluate(
        "(function () { var li = document.querySelector('.verdicts li[data-domain=\"救灾\"]');"
        " return li && [li.getAttribute('data-verdict'), li.textContent]; })()")
    assert verdict == ["inconsistent", "救灾：不符"]
    row = browser.evaluate(
        "document.querySelector('#reconcile-table tr[data-domain=\"救灾\"]').innerText")
    assert "24" in row and "不符" in row
    downloads = browser.evaluate(
        "Array.prototype.map.call(document.querySelectorAll('#toolbar a[download]'),"
        " function (a) { return a.textContent; })")
    assert downloads == ["HTML", "XLSX", "Markdown", "JSON"]
    # the server removed the uploads once it had answered
    assert sorted(tmp.rglob("disclosure-serve-*")) == []
