"""The HTML report in a real headless browser (Debian's chromium).

Checks that the page renders offline, that the chart and the findings are in the DOM
the browser built, and that the inline script ran: it marks ``<body data-ready="1">``,
and sorting and filtering do what they say when driven from a test script appended to
the page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from nlp.render import render
from tests.test_render import sample_result

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium); the browser test needs it")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--hide-scrollbars", "--virtual-time-budget=3000"]

# Driven after the page's own script: click a header twice, type into the filter, and
# write what happened into attributes that --dump-dom then shows.
DRIVER = """
<script>
(function () {
  var b = document.body;
  try {
    var table = document.getElementById("notices-table");
    var ths = table.tHead.rows[0].cells;
    var conf = function () {
      return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
        return parseFloat(r.cells[3].getAttribute("data-sort"));
      });
    };
    ths[3].click();
    b.setAttribute("data-asc", JSON.stringify(conf()));
    ths[3].click();
    b.setAttribute("data-desc", JSON.stringify(conf()));
    var box = document.getElementById("notice-filter");
    box.value = "救灾";
    box.dispatchEvent(new Event("input"));
    var visible = Array.prototype.filter.call(table.tBodies[0].rows, function (r) {
      return !r.hidden;
    });
    b.setAttribute("data-visible", String(visible.length));
    b.setAttribute("data-count-label", document.getElementById("notice-count").textContent);
  } catch (err) {
    b.setAttribute("data-driver-error", String(err));
  }
})();
</script>
"""


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def dump_dom(tmp_path: Path, page: bytes, name: str = "report.html") -> BeautifulSoup:
    path = tmp_path / name
    path.write_bytes(page)
    proc = run_chromium(tmp_path, "--dump-dom", path.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "<body" in proc.stdout, proc.stderr[-2000:]
    return BeautifulSoup(proc.stdout, "lxml")


@pytest.fixture(scope="module")
def result():
    return sample_result()


def test_browser_renders_chart_findings_and_runs_the_script(tmp_path, result):
    soup = dump_dom(tmp_path, render(result, "html"))
    body = soup.body
    assert body.get("data-ready") == "1", body.get("data-error")
    assert body.get("data-error") is None
    rows = soup.select("svg#reconcile-chart g.chart-row")
    assert [g["data-domain"] for g in rows] == list(result.report.domains)
    findings = soup.select("#findings-table tbody tr")
    assert len(findings) == len(result.failures())
    assert "一(三)称 77 条，一(一)称 74 条" in soup.select_one("#findings-table").get_text()
    # the script made headers focusable for keyboard sorting
    assert all(th.get("tabindex") == "0" for th in soup.select("#notices-table th"))
    # a title with markup stayed text in the browser's DOM, too
    assert not soup.select("#notices-table script")


def test_browser_sorts_and_filters_the_notice_table(tmp_path, result):
    page = render(result, "html").decode("utf-8").replace("</body>", DRIVER + "</body>")
    soup = dump_dom(tmp_path, page.encode("utf-8"), "driven.html")
    body = soup.body
    assert body.get("data-driver-error") is None, body.get("data-driver-error")

    asc = json.loads(body["data-asc"])
    desc = json.loads(body["data-desc"])
    assert len(asc) == len(result.classification.frame)
    assert asc == sorted(asc) and desc == sorted(desc, reverse=True)
    frame = result.classification.frame
    expected = sum("救灾" in " ".join(map(str, row)) for row in
                   frame[["标题", "domain"]].itertuples(index=False))
    assert int(body["data-visible"]) == int(body["data-count-label"])
    assert 0 < int(body["data-visible"]) < len(frame)
    # every row whose title or domain says 救灾 is still shown (flags may add a few more)
    assert int(body["data-visible"]) >= expected


def test_phone_width_screenshot(tmp_path, result):
    path = tmp_path / "report.html"
    path.write_bytes(render(result, "html"))
    shot = tmp_path / "phone.png"
    proc = run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=390,844",
                        path.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width == 390
