"""The batch index page in a real headless browser (Debian's chromium), like the single
report in ``test_render_browser.py``: rows, links to detail pages that render, sorting by
errors, the text filter and the 「只看有错误」 box, and the rule chart in the DOM."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

import nlp
from tests.test_cli_batch import make_combined_list, make_district
from tests.test_render_browser import CHROMIUM, run_chromium

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium); the browser test needs it")

DRIVER = """
<script>
(function () {
  var b = document.body;
  try {
    var table = document.getElementById("reports-table");
    var ths = table.tHead.rows[0].cells;
    var errors = function () {
      return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
        var v = parseFloat(r.cells[3].getAttribute("data-sort"));
        return isNaN(v) ? -1 : v;
      });
    };
    ths[3].click();
    b.setAttribute("data-asc", JSON.stringify(errors()));
    ths[3].click();
    b.setAttribute("data-desc", JSON.stringify(errors()));
    var visible = function () {
      return Array.prototype.filter.call(table.tBodies[0].rows, function (r) {
        return !r.hidden;
      }).length;
    };
    var box = document.getElementById("report-filter");
    box.value = "红旗路";
    box.dispatchEvent(new Event("input"));
    b.setAttribute("data-filtered", String(visible()));
    b.setAttribute("data-count-label", document.getElementById("report-count").textContent);
    box.value = "";
    box.dispatchEvent(new Event("input"));
    var only = document.getElementById("only-errors");
    only.checked = true;
    only.dispatchEvent(new Event("change"));
    b.setAttribute("data-attention", String(visible()));
  } catch (err) {
    b.setAttribute("data-driver-error", String(err));
  }
})();
</script>
"""


def dump(tmp_path: Path, page: Path) -> BeautifulSoup:
    proc = run_chromium(tmp_path, "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "<body" in proc.stdout, proc.stderr[-2000:]
    return BeautifulSoup(proc.stdout, "lxml")


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser-batch")
    folder = make_district(base / "reports")
    notices = make_combined_list(base / "all.csv")
    table = nlp.batch([folder], base / "out", notices=notices, jobs=0)
    return base / "out", table


def test_index_rows_links_and_chart_in_the_browser(tmp_path, batch_out):
    out, table = batch_out
    soup = dump(tmp_path, out / "index.html")
    body = soup.body
    assert body.get("data-ready") == "1", body.get("data-error")
    rows = soup.select("#reports-table tbody tr.report")
    assert len(rows) == len(table) == 8
    assert len(soup.select("#reports-table tr.failed")) == int((table["status"] == "failed").sum())
    # every detail link opens a page that renders in the browser
    links = [unquote(a["href"]) for a in soup.select("#reports-table a.detail")]
    assert len(links) == int((table["status"] == "ok").sum())
    detail = dump(tmp_path, out / links[0])
    assert detail.body.get("data-ready") == "1"
    assert detail.select_one("section#summary") is not None
    bars = soup.select("svg#rule-chart g.rule-bar")
    assert bars and int(bars[0]["data-reports"]) >= int(bars[-1]["data-reports"])
    assert soup.select_one("#unmatched [data-group='北关区紫薇街道办事处']") is not None


def test_index_sorts_and_filters_in_the_browser(tmp_path, batch_out):
    out, table = batch_out
    page = out / "driven.html"
    page.write_text((out / "index.html").read_text(encoding="utf-8")
                    .replace("</body>", DRIVER + "</body>"), encoding="utf-8")
    body = dump(tmp_path, page).body
    assert body.get("data-driver-error") is None, body.get("data-driver-error")
    asc, desc = json.loads(body["data-asc"]), json.loads(body["data-desc"])
    assert len(asc) == 8 and asc == sorted(asc) and desc == sorted(desc, reverse=True)
    assert asc != desc
    assert body["data-filtered"] == body["data-count-label"] == "1"
    ok = table[table["status"] == "ok"]
    attention = int((ok["errors"] > 0).sum()) + int((table["status"] == "failed").sum())
    assert int(body["data-attention"]) == attention
