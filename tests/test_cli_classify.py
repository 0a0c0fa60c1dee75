"""`disclosure classify` end to end: every input format and encoding, every bad input."""

from __future__ import annotations

import codecs
import json

import openpyxl
import pandas as pd
import pytest

ROWS = [
    ("红旗路街道开展防汛应急演练", "救灾", "2023-06-01"),
    ("关于公布2023年第二季度城乡低保对象名单的公示", "社会救助", "2023-07-02"),
    ("社区广场舞展演活动圆满落幕", "公共文化服务", "2023-08-01"),
    ("辖区九小场所消防安全隐患排查整治", "安全生产", "2023-09-01"),
    ("2023年高龄津贴发放名单公示", "养老服务", "2023-10-01"),
    ("春风行动专场招聘会岗位信息", "就业创业", "2023-02-10"),
    ("街道党工委召开理论学习中心组会议", "其他", "2023-03-01"),
]
CSV_TEXT = "标题,栏目,日期\n" + "".join(f"{t},{o},{d}\n" for t, o, d in ROWS)


def _expect_domains(frame: pd.DataFrame) -> None:
    assert list(frame["domain"]) == [o for _, o, _ in ROWS]
    assert frame["confidence"].between(0, 1).all()
    assert {"second_domain", "needs_review"} <= set(frame.columns)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding(run_cli, tmp_path, encoding):
    path = tmp_path / "notices.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    out = tmp_path / "out.csv"
    result = run_cli("classify", path, "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    frame = pd.read_csv(out)
    _expect_domains(frame)
    assert list(frame.columns[:3]) == ["标题", "栏目", "日期"]
    assert frame["office_agrees"].all()
    assert "社会救助" in result.stderr.decode()  # the per-label summary


def test_xlsx_in_and_out(run_cli, tmp_path):
    path = tmp_path / "notices.xlsx"
    pd.DataFrame(ROWS, columns=["信息名称", "所属领域", "发布日期"]).to_excel(path, index=False)
    out = tmp_path / "out.xlsx"
    result = run_cli("classify", path, "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    _expect_domains(pd.read_excel(out))
    assert openpyxl.load_workbook(out)["通知分类"].freeze_panes == "A2"


def test_json_and_jsonl(run_cli, tmp_path):
    records = [{"title": t, "category": o} for t, o, _ in ROWS]
    as_json = tmp_path / "n.json"
    as_json.write_text(json.dumps({"items": records}, ensure_ascii=False), encoding="utf-8")
    as_jsonl = tmp_path / "n.jsonl"
    as_jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                        encoding="utf-8")
    for path in (as_json, as_jsonl):
        result = run_cli("classify", path, "--format", "json")
        assert result.returncode == 0, result.stderr.decode()
        _expect_domains(pd.DataFrame(json.loads(result.stdout)))


def test_plain_text_from_stdin(run_cli):
    text = "\n".join(t for t, _, _ in ROWS) + "\n\n"
    result = run_cli("classify", "-", input=text.encode("gbk"))
    assert result.returncode == 0, result.stderr.decode()
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout.decode()))
    _expect_domains(frame)


def test_body_column_is_used_and_kept(run_cli, tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("title,content\n通知,为做好今年汛期防汛抗旱和地质灾害防御工作\n",
                    encoding="utf-8")
    result = run_cli("classify", path)
    assert result.returncode == 0
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout.decode()))
    assert list(frame.columns[:2]) == ["title", "content"]


def test_office_disagreement_is_reported(run_cli, tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("标题,栏目\n2023年高龄津贴发放名单公示,社会救助\n", encoding="utf-8")
    frame = pd.read_csv(pd.io.common.StringIO(run_cli("classify", path).stdout.decode()))
    assert frame.loc[0, "domain"] == "养老服务"
    assert not frame.loc[0, "office_agrees"]


@pytest.mark.parametrize(("content", "name", "extra", "message"), [
    (None, "missing.csv", [], "no such file"),
    ("标题\n", "empty.csv", [], "empty"),
    ("名字,日期\n防汛,2023\n", "nocol.csv", [], "no title column"),
    ("标题\n防汛\n", "col.csv", ["--column", "题名"], "no column named '题名'"),
    ('[{"title": "防汛"', "bad.json", [], "invalid JSON"),
    ('{"title": "a"}\n{oops\n', "bad.jsonl", [], "line 2"),
    ("x", "list.pdf", [], "unknown notice-list format"),
    (b"PK\x03\x04garbage", "bad.xlsx", [], "cannot read the Excel file"),
])
def test_bad_input_exits_2_with_one_line(run_cli, tmp_path, content, name, extra, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "out.csv"
    result = run_cli("classify", path, "-o", out, *extra)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert message in err and name in err
    assert "Traceback" not in err
    assert not out.exists()
    assert list(tmp_path.glob(".out.csv.*")) == []


def test_directory_as_input(run_cli, tmp_path):
    result = run_cli("classify", tmp_path)
    assert result.returncode == 2
    assert "directory" in result.stderr.decode()


def test_bom_csv_keeps_the_first_column_name(tmp_path):
    from nlp.readers.notices import read_notices

    path = tmp_path / "n.csv"
    path.write_bytes(codecs.BOM_UTF8 + CSV_TEXT.encode())
    notices = read_notices(path)
    assert notices.columns["title"] == "标题"
    assert notices.encoding == "utf-8-sig"


def test_large_csv_is_read_in_chunks(tmp_path, model):
    from nlp.readers.notices import iter_notice_chunks

    path = tmp_path / "big.csv"
    path.write_text("标题\n" + "".join(f"第{i}号防汛通知\n" for i in range(2500)), encoding="gbk")
    chunks = list(iter_notice_chunks(path, chunksize=1000))
    assert [len(c.frame) for c in chunks] == [1000, 1000, 500]
    assert {c.encoding for c in chunks} == {"gbk"}


def _long_list(tmp_path, n: int = 60_000):
    from .conftest import ROOT

    titles = pd.read_csv(ROOT / "corpus" / "train.csv")["title"].tolist()
    places = ["", "城关镇", "红旗路街道", "区民政局", "东风社区", "白沙乡", "滨江街道",
              "县应急管理局", "西关街道", "青山镇"]
    path = tmp_path / "long.csv"
    pd.DataFrame({"标题": [f"{p}{t}" for p in places for t in titles][:n]}).to_csv(
        path, index=False)
    return path


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_for_a_long_list(tmp_path):
    import fcntl
    import os
    import struct
    import subprocess
    import termios

    from .conftest import disclosure_command

    path = _long_list(tmp_path)
    master, slave = os.openpty()
    # A new pseudo-terminal is 0 columns wide; a real one has a size.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([*disclosure_command(), "classify", str(path), "-o",
                             str(tmp_path / "out.csv")], stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            block = os.read(master, 4096)
        except OSError:  # the terminal's other end is closed
            break
        if not block:
            break
        seen += block
    os.close(master)
    assert proc.wait(timeout=300) == 0
    text = seen.decode("utf-8", errors="replace")
    assert "notices/s" in text and "60.0k" in text  # tqdm's bar: rate and total
    assert "total" in text  # the summary follows the bar


def test_no_progress_bar_when_stderr_is_not_a_terminal(run_cli, tmp_path):
    result = run_cli("classify", _long_list(tmp_path, 2_000), "-o", tmp_path / "out.csv")
    assert result.returncode == 0
    assert b"notices/s" not in result.stderr and b"\r" not in result.stderr
