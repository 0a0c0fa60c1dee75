"""`disclosure serve` through the ASGI test client: every route, every refusal (too large,
wrong type, broken, missing, empty, too many files), the client's file names kept out of
paths, no upload left on disk, the model loaded once, and the work off the event loop."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from nlp.serve import app as serve_app
from nlp.serve.app import create_app

from .conftest import EXAMPLE, REPORTS, ROOT

NOTICES = ROOT / "corpus" / "examples" / "notices-2023.csv"
BROKEN_DOCX = b"PK\x03\x04 not really a Word file"


@pytest.fixture
def uploads(tmp_path):
    """The folder the app makes its per-request folders in; tests assert it ends empty."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder


@pytest.fixture
def client(model, uploads):
    with TestClient(create_app(model=model, tmp=str(uploads))) as c:
        yield c


def files(**named: tuple[str, bytes | Path]) -> list[tuple[str, tuple[str, bytes]]]:
    """A multipart ``files=`` list: field → (client's file name, bytes or a path)."""
    out = []
    for field_name, (name, data) in named.items():
        out.append((field_name, (name, data.read_bytes() if isinstance(data, Path) else data)))
    return out


def example_upload() -> list:
    return files(report=("年报.txt", EXAMPLE), notices=("通知.csv", NOTICES))


def left_on_disk(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


# ------------------------------------------------------------------ pages and results


def test_upload_pages_are_self_contained(client):
    for path, form_id in (("/", "check-form"), ("/batch", "batch-form")):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        soup = BeautifulSoup(r.text, "lxml")
        form = soup.select_one(f"form#{form_id}")
        assert form["enctype"] == "multipart/form-data"
        assert form.select("input[type=file]")
        # nothing from another host: no script, style or font fetched from anywhere
        assert not soup.find_all(src=True) and not soup.select("link[href]")
        assert "http://" not in r.text and "https://" not in r.text


def test_check_redirects_to_a_result_with_four_downloads(client, uploads, run_cli):
    r = client.post("/check", files=example_upload(), follow_redirects=False)
    assert r.status_code == 303, r.text
    where = r.headers["location"]
    assert where.startswith("/result/")
    assert left_on_disk(uploads) == []

    page = client.get(where)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "lxml")
    text = soup.get_text(" ")
    assert "一(三)称 77 条，一(一)称 74 条" in text
    row = soup.select_one("#reconcile-table tr[data-domain='救灾']") or next(
        tr for tr in soup.select("tr") if "救灾" in tr.get_text())
    assert "不符" in row.get_text()
    links = [a["href"] for a in soup.select("#toolbar a[download]")]
    assert links == [f"{where}/{fmt}" for fmt in ("html", "xlsx", "md", "json")]

    single = run_cli("check", EXAMPLE, "--notices", NOTICES, "--format", "json")
    expected = json.loads(single.stdout)
    got = client.get(f"{where}/json")
    assert got.headers["content-type"].startswith("application/json")
    assert "filename*=UTF-8''" in got.headers["content-disposition"]
    result = got.json()
    assert result["findings"] == expected["findings"]
    assert result["reconciliation"] == expected["reconciliation"]
    # the report's source names the uploaded file, not the temporary path
    assert result["report"]["source"]["path"] == "年报.txt"
    assert str(uploads) not in got.text

    md = client.get(f"{where}/md")
    assert md.headers["content-type"].startswith("text/markdown") and "74" in md.text
    html = client.get(f"{where}/html")
    assert html.headers["content-type"].startswith("text/html")
    assert 'id="toolbar"' not in html.text  # the download is the plain report
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{where}/xlsx").content))
    assert book.sheetnames


def test_api_check_returns_the_check_json(client, uploads, run_cli):
    r = client.post("/api/check", files=example_upload())
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["schema"] == "disclosure.check/1"
    single = json.loads(run_cli("check", EXAMPLE, "--notices", NOTICES,
                                "--format", "json").stdout)
    assert body["findings"] == single["findings"]
    verdicts = {row["domain"]: row["status"] for row in body["reconciliation"]}
    assert verdicts["救灾"] == "inconsistent"
    # without a notice list there is no reconciliation, and the rules still run
    alone = client.post("/api/check", files=files(report=("r.md",
                                                          REPORTS / "markdown_report.md")))
    assert alone.status_code == 200 and alone.json().get("reconciliation") is None
    assert left_on_disk(uploads) == []


def test_last_years_report_is_used_for_the_cross_year_rules(client):
    one = client.post("/api/check", files=files(report=("r.txt", EXAMPLE))).json()
    two = client.post("/api/check", files=files(report=("r.txt", EXAMPLE),
                                                previous=("p.txt", EXAMPLE))).json()
    assert len(two["findings"]) > len(one["findings"])


def test_batch_gives_the_summary_and_each_report(client, uploads):
    from tests.test_cli_batch import make_combined_list

    combined = make_combined_list(uploads.parent / "all.csv")
    r = client.post("/batch", follow_redirects=False, files=[
        ("reports", ("example-report.txt", EXAMPLE.read_bytes())),
        ("reports", ("markdown_report.md", (REPORTS / "markdown_report.md").read_bytes())),
        ("reports", ("坏文件.docx", BROKEN_DOCX)),
        ("notices", ("全区通知.csv", combined.read_bytes()))])
    assert r.status_code == 303, r.text
    index = r.headers["location"]
    assert index.startswith("/batch/") and index.endswith("/")
    assert left_on_disk(uploads) == []
    # without the slash, the same page
    assert client.get(index.rstrip("/"), follow_redirects=False).status_code == 307

    page = client.get(index)
    soup = BeautifulSoup(page.text, "lxml")
    rows = soup.select("#reports-table tbody tr.report")
    assert len(rows) == 3
    shown = soup.get_text(" ")
    assert "坏文件.docx" in shown and "无法读取" in shown
    assert str(uploads) not in page.text
    assert soup.select_one("#unmatched [data-group='北关区紫薇街道办事处']") is not None
    details = [unquote(a["href"]) for a in soup.select("#reports-table a.detail")]
    assert len(details) == 2
    for name in details:
        detail = client.get(index + name)
        assert detail.status_code == 200 and 'id="summary"' in detail.text
    book = openpyxl.load_workbook(io.BytesIO(client.get(index + "summary.xlsx").content))
    assert book.sheetnames[:2] == ["汇总", "全部发现"]
    cells = [str(c.value) for row in book["汇总"].iter_rows() for c in row if c.value]
    assert "全区通知.csv" in " ".join(cells) and str(uploads) not in " ".join(cells)
    assert client.get(index + "nothing.html").status_code == 404


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize("route", ["/check", "/api/check"])
def test_missing_report_is_refused(client, uploads, route):
    r = client.post(route, files=files(notices=("n.csv", NOTICES)))
    assert r.status_code == 400
    assert "请选择年报文件" in r.text
    assert left_on_disk(uploads) == []


@pytest.mark.parametrize("field_name, name, message", [
    ("report", "报告.exe", "「报告.exe」不是可读的年报格式"),
    ("report", "无扩展名", "「无扩展名」不是可读的年报格式"),
    ("notices", "list.pdf", "「list.pdf」不是可读的通知列表格式"),
])
def test_wrong_type_is_refused_naming_the_file(client, uploads, field_name, name, message):
    upload = {"report": ("r.txt", EXAMPLE), field_name: (name, b"some bytes")}
    r = client.post("/api/check", files=files(**upload))
    assert r.status_code == 415 and message in r.json()["error"]
    page = client.post("/check", files=files(**upload))
    assert page.status_code == 415 and message in page.text
    assert left_on_disk(uploads) == []


@pytest.mark.parametrize("upload, status, message", [
    ({"report": ("坏报告.docx", BROKEN_DOCX)}, 422, "「坏报告.docx」"),
    ({"report": ("scan.pdf", REPORTS / "scanned.pdf")}, 422, "no text layer"),
    ({"report": ("empty.txt", b"")}, 400, "「empty.txt」是空文件"),
    ({"report": ("r.txt", EXAMPLE), "notices": ("list.xlsx", b"PK\x03\x04broken")}, 422,
     "「list.xlsx」"),
])
def test_broken_or_empty_file_is_refused_naming_it(client, uploads, upload, status, message):
    r = client.post("/api/check", files=files(**upload))
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert message in error and "Traceback" not in error
    assert str(uploads) not in error  # the temporary path never reaches the user
    page = client.post("/check", files=files(**upload))
    assert page.status_code == status and message in page.text
    assert BeautifulSoup(page.text, "lxml").select_one("form#check-form") is not None
    assert left_on_disk(uploads) == []


def test_too_large_is_refused_before_and_while_reading(model, uploads):
    app = create_app(model=model, tmp=str(uploads), max_upload_mb=0.02)  # 20 KB
    big = ("big.txt", b"x" * 40_000)
    with TestClient(app) as c:
        r = c.post("/api/check", files=[("report", big)])  # Content-Length says so
        assert r.status_code == 413 and "0.02 MB" in r.json()["error"]
        # no Content-Length: the body is counted as it arrives
        body, boundary = _multipart("report", *big)
        chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
        r = c.post("/api/check", content=chunks,
                   headers={"content-type": f"multipart/form-data; boundary={boundary}"})
        assert r.status_code == 413
        small = c.post("/api/check", files=files(report=("r.md",
                                                         REPORTS / "markdown_report.md")))
        assert small.status_code == 200
    assert left_on_disk(uploads) == []


def test_too_many_files_are_refused(client, uploads):
    many = [("report", (f"r{i}.txt", b"x")) for i in range(5)]
    r = client.post("/api/check", files=many)
    assert r.status_code == 400 and "上传的内容无法读取" in r.json()["error"]
    assert left_on_disk(uploads) == []


def test_client_file_names_are_never_paths(client, uploads, tmp_path):
    r = client.post("/api/check", files=[
        ("report", ("../../escaped.txt", EXAMPLE.read_bytes()))])
    assert r.status_code == 200
    assert r.json()["report"]["source"]["path"] == "escaped.txt"
    assert not list(tmp_path.rglob("escaped.txt")) and not (ROOT / "escaped.txt").exists()
    bad = client.post("/api/check", files=[("report", ("..\\..\\x.exe", b"x"))])
    assert bad.status_code == 415 and "「x.exe」" in bad.json()["error"]
    assert left_on_disk(uploads) == []


@pytest.mark.parametrize("path", ["/result/nope", "/result/nope/json", "/batch/nope/",
                                  "/batch/nope", "/no/such/page"])
def test_unknown_results_and_pages_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "Traceback" not in r.text
    assert "没有这个页面或结果" in r.text


def test_a_result_of_the_other_kind_or_format_is_404(client):
    where = client.post("/check", files=files(report=("r.txt", EXAMPLE)),
                        follow_redirects=False).headers["location"]
    assert client.get(f"{where}/pdf").status_code == 404
    rid = where.rsplit("/", 1)[1]
    assert client.get(f"/batch/{rid}/").status_code == 404


def test_wrong_method_and_api_errors_are_json(client):
    r = client.get("/api/check")
    assert r.status_code == 405 and "error" in r.json()
    assert client.get("/api/nothing").json()["error"]


def test_old_results_are_dropped(model, uploads, monkeypatch):
    monkeypatch.setattr(serve_app, "KEEP_RESULTS", 2)
    with TestClient(create_app(model=model, tmp=str(uploads))) as c:
        where = [c.post("/check", files=files(report=("r.md", REPORTS / "markdown_report.md")),
                        follow_redirects=False).headers["location"] for _ in range(3)]
        assert [c.get(w).status_code for w in where] == [404, 200, 200]


# ------------------------------------------------------------------ the model and the loop


def test_the_model_is_loaded_once_at_start_up(uploads, monkeypatch):
    from nlp.batching import workers
    from nlp.classifier import model_file

    loads = []
    real = model_file.load_model

    def counting(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(model_file, "load_model", counting)
    workers.worker_model.cache_clear()
    try:
        with TestClient(create_app(tmp=str(uploads))) as c:
            assert len(loads) == 1  # at start-up, before any request
            for _ in range(2):
                assert c.post("/api/check", files=example_upload()).status_code == 200
            r = c.post("/batch", files=[("reports", ("a.txt", EXAMPLE.read_bytes())),
                                        ("notices", ("n.csv", _combined(uploads)))])
            assert r.status_code == 200, r.text
        assert len(loads) == 1
    finally:
        workers.worker_model.cache_clear()


def _combined(folder: Path) -> bytes:
    from tests.test_cli_batch import make_combined_list

    return make_combined_list(folder.parent / "combined.csv").read_bytes()


def test_a_running_check_does_not_block_other_requests(model, uploads, monkeypatch):
    """While one check waits in its worker thread, the upload page still answers."""
    try:
        import httpx2 as httpx
    except ImportError:
        import httpx

    started, release = threading.Event(), threading.Event()
    real = serve_app._check

    def slow(*args):
        started.set()
        assert release.wait(30), "the other request never got an answer"
        return real(*args)

    monkeypatch.setattr(serve_app, "_check", slow)
    app = create_app(model=model, tmp=str(uploads))

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            check = asyncio.create_task(c.post("/api/check", files=example_upload()))
            while not started.is_set():
                await asyncio.sleep(0.01)
            page = await asyncio.wait_for(c.get("/"), 10)
            release.set()
            return page, await check

    page, check = asyncio.run(scenario())
    assert page.status_code == 200 and check.status_code == 200
    assert left_on_disk(uploads) == []


def _multipart(field_name: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "disclosure-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field_name}\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode(), boundary


# ------------------------------------------------------------------ the command


def test_serve_options_are_checked_before_starting(run_cli, tmp_path):
    r = run_cli("serve", "--port", "0")
    assert r.returncode == 2 and "--port" in r.stderr.decode()
    r = run_cli("serve", "--max-upload-mb", "0")
    assert r.returncode == 2 and "--max-upload-mb" in r.stderr.decode()
    r = run_cli("serve", "--model", tmp_path / "none.joblib")
    assert r.returncode == 2 and "Traceback" not in r.stderr.decode()


def test_serve_warns_beyond_this_machine_and_refuses_an_address_it_cannot_take(run_cli):
    """Another host is warned about (no login); an address that is not this machine's, or a
    port in use, is exit 2 with the reason, never a traceback. Nothing is left listening."""
    import socket

    r = run_cli("serve", "--host", "192.0.2.1", "--port", str(_free_port()))  # TEST-NET-1
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert "there is no login" in err and "cannot listen on 192.0.2.1" in err
    assert "Traceback" not in err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = run_cli("serve", "--port", str(port))
    err = r.stderr.decode()
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in err, err
    assert "there is no login" not in err


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
