"""The one notice reader: chunked (`classify`) and whole (`check --notices`) agree on the
encoding, on the cells and on every refusal, on real files and hostile ones."""

from __future__ import annotations

import codecs
import json

import openpyxl
import pandas as pd
import pytest

from nlp.errors import InputError
from nlp.readers.inputs import BLOCK
from nlp.readers.notices import iter_notice_chunks, read_notices

from .conftest import ROOT

NOTICES = ROOT / "corpus" / "examples" / "notices-2023.csv"


def _both(path, chunksize: int = 7, **kw) -> tuple[pd.DataFrame, pd.DataFrame, set, str | None]:
    """The list read whole and read in small chunks."""
    whole = read_notices(path, **kw)
    chunks = list(iter_notice_chunks(path, chunksize=chunksize, **kw))
    joined = pd.concat([c.frame for c in chunks], ignore_index=True)
    return whole.frame, joined, {c.encoding for c in chunks}, whole.encoding


def test_the_demo_list_reads_the_same_whole_and_in_chunks():
    whole, chunked, encodings, encoding = _both(NOTICES)
    pd.testing.assert_frame_equal(whole, chunked)
    assert encodings == {encoding} == {"utf-8"}
    assert len(whole) > 50


@pytest.mark.parametrize("ascii_rows", [4_000, 60_000])  # past 64 KiB; past the first block
def test_gbk_whose_first_chinese_comes_late_is_gbk_both_ways(tmp_path, ascii_rows):
    path = tmp_path / "late.csv"
    text = "title\n" + "".join(f"notice number {i}\n" for i in range(ascii_rows)) + "防汛通知\n"
    path.write_bytes(text.encode("gbk"))
    assert path.stat().st_size > (BLOCK if ascii_rows > 10_000 else 1 << 16)
    # Chunks of 7 rows keep boundaries everywhere; 60,000 rows need no more than 997.
    whole, chunked, encodings, encoding = _both(path, chunksize=997 if ascii_rows > 10_000 else 7)
    assert encoding == "gbk" and encodings == {"gbk"}
    assert whole["title"].iloc[-1] == chunked["title"].iloc[-1] == "防汛通知"


def test_a_character_split_over_the_block_boundary_is_still_utf8(tmp_path):
    path = tmp_path / "split.txt"
    lines = (BLOCK - 1) // 100
    pad = "x" * 99 + "\n"
    tail = "y" * (BLOCK - 1 - 100 * lines)  # so that the 3-byte 防 straddles the boundary
    path.write_bytes((pad * lines + tail + "防汛\n").encode())
    assert path.read_bytes()[BLOCK - 1:BLOCK + 2] == "防".encode()
    whole, chunked, encodings, encoding = _both(path)
    assert encoding == "utf-8" and encodings == {"utf-8"}
    assert whole["title"].iloc[-1] == chunked["title"].iloc[-1] == tail + "防汛"


NA_LIKE = ["None", "nan", "NaN", "NULL", "NA", "N/A", "null", "#N/A"]


@pytest.mark.parametrize("fmt", ["csv", "txt", "json", "jsonl", "xlsx"])
def test_titles_that_look_missing_stay_titles(tmp_path, fmt):
    path = tmp_path / f"n.{fmt}"
    if fmt == "csv":
        path.write_text("标题\n" + "\n".join(NA_LIKE) + "\n", encoding="utf-8")
    elif fmt == "txt":
        path.write_text("\n".join(NA_LIKE) + "\n", encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps([{"title": t, "n": None} for t in NA_LIKE]), encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text("\n".join(json.dumps({"title": t}) for t in NA_LIKE), encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        wb.active.append(["title"])
        for row, t in enumerate(NA_LIKE, start=2):
            wb.active.cell(row=row, column=1, value=t).data_type = "s"  # "#N/A" as text
        wb.save(path)
    whole, chunked, _, _ = _both(path)
    column = "标题" if fmt == "csv" else "title"
    assert whole[column].tolist() == chunked[column].tolist() == NA_LIKE
    if fmt == "json":
        assert whole["n"].tolist() == [""] * len(NA_LIKE)  # a JSON null is an empty cell


BAD_BYTES = {
    "utf16_stray_byte": codecs.BOM_UTF16_LE + "标题\n防汛\n".encode("utf-16-le") + b"\x00",
    "utf16_lone_surrogate": codecs.BOM_UTF16_LE + "标题\n".encode("utf-16-le") + b"\x00\xd8A\x00",
    "utf32_bom_over_garbage": codecs.BOM_UTF32_LE + b"\xff\xff\xff\x7f" * 3,
    "utf8_bom_over_garbage": codecs.BOM_UTF8 + "标题\n".encode() + b"\xff\xfe\xfd\n",
    "no_encoding": "标题\n".encode() + b"\xff\x80\xfe\n",
    "nul_but_not_utf16": b"title\n\x00\xd8\x00\xd8\x00",
}


@pytest.mark.parametrize("name", BAD_BYTES)
def test_every_decode_failure_is_an_input_error_naming_file_and_byte(tmp_path, name):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(BAD_BYTES[name])
    for read in (read_notices, lambda p: list(iter_notice_chunks(p, chunksize=2))):
        with pytest.raises(InputError) as caught:
            read(path)
        assert caught.value.path == str(path)
        assert caught.value.place.startswith("byte ")


def test_utf32_with_bom_is_read(tmp_path):
    path = tmp_path / "n.txt"
    path.write_bytes("防汛\n救灾\n".encode("utf-32"))
    whole, chunked, encodings, encoding = _both(path)
    assert whole["title"].tolist() == chunked["title"].tolist() == ["防汛", "救灾"]
    assert encoding == "utf-32" and encodings == {"utf-32"}


def test_a_row_with_extra_fields_does_not_shift_the_titles(tmp_path):
    """pandas would silently make the first column an index and blank every title."""
    path = tmp_path / "n.csv"
    path.write_text('标题\n=HYPERLINK("http://x","点击")\n防汛\n', encoding="utf-8")
    for read in (read_notices, lambda p: list(iter_notice_chunks(p))):
        with pytest.raises(InputError, match="more fields than the header"):
            read(path)


def test_size_limit_names_the_limit_and_how_to_raise_it(tmp_path, monkeypatch):
    path = tmp_path / "n.csv"
    path.write_bytes(b"title\n" + (b"x" * 99 + b"\n") * ((2 << 20) // 100))
    monkeypatch.setenv("DISCLOSURE_MAX_LIST_MB", "1")
    with pytest.raises(InputError) as caught:
        read_notices(path)
    message = str(caught.value)
    assert str(path) in message and "1 MB" in message and "DISCLOSURE_MAX_LIST_MB" in message
    monkeypatch.setenv("DISCLOSURE_MAX_LIST_MB", "3")
    assert len(read_notices(path).frame) == (2 << 20) // 100


@pytest.mark.parametrize(("env", "content", "found"), [
    ("DISCLOSURE_MAX_ROWS", "title\n" + "防汛\n" * 30, "more than"),
    ("DISCLOSURE_MAX_COLUMNS", ",".join(["title"] + [f"c{i}" for i in range(30)]) + "\n",
     "31 columns"),
    ("DISCLOSURE_MAX_CELL_CHARS", "title\n防汛\n" + "防" * 40 + "\n", "40 characters"),
])
def test_row_column_and_cell_limits(tmp_path, monkeypatch, env, content, found):
    path = tmp_path / "n.csv"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setenv(env, "20")
    for read in (read_notices, lambda p: list(iter_notice_chunks(p, chunksize=10))):
        with pytest.raises(InputError, match=env) as caught:
            read(path)
        assert found in str(caught.value)
    if env == "DISCLOSURE_MAX_CELL_CHARS":
        assert caught.value.place == "row 2, column title"


def test_a_bad_limit_value_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_MAX_ROWS", "lots")
    with pytest.raises(InputError, match="DISCLOSURE_MAX_ROWS='lots'"):
        read_notices(NOTICES)


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deep_json_is_refused_not_a_recursion_error(tmp_path, depth):
    for name, text in (("n.json", "[" * depth + "]" * depth),
                       ("n.jsonl", '{"title": "a"}\n' + '{"x": ' + "[" * depth + "]" * depth
                        + "}\n")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match="DISCLOSURE_MAX_DEPTH") as caught:
            read_notices(path)
        assert caught.value.path == str(path)


def test_nested_json_values_are_kept_as_json_text(tmp_path):
    path = tmp_path / "n.json"
    path.write_text(json.dumps([{"title": "防汛", "tags": ["a", 1], "n": 3, "ok": True}]),
                    encoding="utf-8")
    row = read_notices(path).frame.iloc[0].to_dict()
    assert row == {"title": "防汛", "tags": '["a", 1]', "n": "3", "ok": "true"}
