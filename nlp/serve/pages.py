"""The app's HTML pages: upload forms, the toolbar over a rendered report, error pages.

Every page carries the single report's CSS (:data:`nlp.render.html.CSS`) and its scripts
inline, so the app needs nothing from the network and looks like the report it shows.
"""

from __future__ import annotations

from html import escape

from nlp.batching.inputs import NOTICE_SUFFIXES, REPORT_SUFFIXES
from nlp.render import REPORT_TITLE
from nlp.render.html import CSS
from nlp.serve.uploads import MAX_BATCH_FILES

PAGE_CSS = """
.tabs{display:flex;gap:14px;margin:.2em 0 1em}.tabs a{text-decoration:none}
.tabs a.here{font-weight:bold;border-bottom:2px solid #37474f}
form.upload{display:grid;gap:12px;max-width:720px}
.drop{border:2px dashed #bbb;border-radius:8px;padding:14px;background:var(--bg)}
.drop.over{border-color:#37474f;background:#eceff1}
.drop label{display:block;font-weight:bold;margin-bottom:4px}
.drop .hint{color:#777;font-size:.88em}.drop .chosen{display:block;margin-top:4px}
button{font-size:1em;padding:8px 18px;border-radius:6px;border:1px solid #37474f;
 background:#37474f;color:#fff;cursor:pointer;justify-self:start}
button[disabled]{opacity:.6;cursor:wait}
.error{border:1px solid #ef9a9a;background:#ffebee;color:#b71c1c;border-radius:6px;
 padding:8px 12px}
.toolbar{display:flex;flex-wrap:wrap;gap:10px;align-items:center;padding:8px 0;
 border-bottom:1px solid var(--line);margin-bottom:8px}
"""
UPLOAD_SCRIPT = """
(function () {
  "use strict";
  try {
    Array.prototype.forEach.call(document.querySelectorAll(".drop"), function (zone) {
      var input = zone.querySelector("input[type=file]");
      var shown = zone.querySelector(".chosen");
      var show = function () {
        shown.textContent = Array.prototype.map.call(input.files, function (f) {
          return f.name;
        }).join("、");
      };
      input.addEventListener("change", show);
      zone.addEventListener("dragover", function (e) {
        e.preventDefault(); zone.classList.add("over");
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
      zone.addEventListener("drop", function (e) {
        e.preventDefault(); zone.classList.remove("over");
        if (e.dataTransfer && e.dataTransfer.files.length) {
          input.files = e.dataTransfer.files; show();
        }
      });
    });
    var form = document.querySelector("form.upload");
    form.addEventListener("submit", function () {
      var b = form.querySelector("button");
      b.disabled = true; b.textContent = "正在核对，请稍候…";
    });
    document.body.setAttribute("data-ready", "1");
  } catch (err) {
    document.body.setAttribute("data-error", String(err));
  }
})();
"""


def page(title: str, body: str, *, here: str = "/", script: str = "") -> str:
    """A whole page with the report's look."""
    tabs = "".join(f'<a href="{href}" class="{"here" if href == here else ""}">{label}</a>'
                   for href, label in (("/", "单份核对"), ("/batch", "批量核对")))
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}{PAGE_CSS}</style>\n</head>\n"
            f'<body>\n<header><h1>{escape(title)}</h1><nav class="tabs">{tabs}</nav></header>\n'
            f"{body}\n" + (f"<script>{script}</script>\n" if script else "")
            + "</body>\n</html>\n")


def _drop(name: str, label: str, hint: str, accept: tuple[str, ...], *, required: bool,
          multiple: bool = False) -> str:
    return (f'<div class="drop" data-field="{name}"><label for="{name}-input">{label}</label>'
            f'<input type="file" id="{name}-input" name="{name}" accept="{",".join(accept)}"'
            f'{" required" if required else ""}{" multiple" if multiple else ""}>'
            f'<span class="hint">{hint}；也可把文件拖到这里。</span>'
            '<span class="chosen"></span></div>')


def upload_page(error: str | None = None) -> str:
    err = f'<p class="error" role="alert" id="error">{escape(error)}</p>' if error else ""
    body = (
        f'{err}<p class="meta">文件只在本机处理，核对完即从磁盘删除；'
        "结果保存在本程序的内存里。</p>"
        '<form class="upload" id="check-form" method="post" action="/check" '
        'enctype="multipart/form-data">'
        + _drop("report", "年报（必选）", "TXT、HTML、Markdown、DOCX 或带文字层的 PDF",
                tuple(REPORT_SUFFIXES), required=True)
        + _drop("notices", "通知列表（可选）", "CSV、XLSX、JSON、JSON Lines 或每行一个标题的 TXT",
                NOTICE_SUFFIXES, required=False)
        + _drop("previous", "上年年报（可选）", "用于跨年度检查", tuple(REPORT_SUFFIXES),
                required=False)
        + '<button type="submit">开始核对</button></form>')
    return page(REPORT_TITLE, body, here="/", script=UPLOAD_SCRIPT)


def batch_page(error: str | None = None) -> str:
    err = f'<p class="error" role="alert" id="error">{escape(error)}</p>' if error else ""
    body = (
        f'{err}<p class="meta">一次上传多份年报（最多 {MAX_BATCH_FILES} 份）'
        "和一份含「发布单位」列的通知总表；按单位名称匹配。</p>"
        '<form class="upload" id="batch-form" method="post" action="/batch" '
        'enctype="multipart/form-data">'
        + _drop("reports", "年报（必选，可多选）", "TXT、HTML、Markdown、DOCX 或 PDF",
                tuple(REPORT_SUFFIXES), required=True, multiple=True)
        + _drop("notices", "通知总表（可选）", "一份 CSV、XLSX 或 JSON，含发布单位列",
                NOTICE_SUFFIXES, required=False)
        + '<button type="submit">开始批量核对</button></form>')
    return page("批量核对", body, here="/batch", script=UPLOAD_SCRIPT)


def toolbar(links: list[tuple[str, str]], back: str) -> str:
    items = "".join(f'<a href="{escape(h)}" download>{escape(t)}</a>' for h, t in links)
    return (f'<style>{PAGE_CSS}</style><nav class="toolbar no-print" id="toolbar">'
            f'<a href="{back}">← 再核对</a>'
            + (f'<span class="muted">下载：</span>{items}' if items else "") + "</nav>\n")


def with_toolbar(html: bytes, toolbar: str) -> bytes:
    text = html.decode("utf-8")
    return text.replace("<body>\n", "<body>\n" + toolbar, 1).encode("utf-8")




def message_page(title: str, message: str) -> str:
    """A page that only says what went wrong, with the way back."""
    return page(title, f'<p class="error" role="alert">{escape(message)}</p>'
                       '<p><a href="/">返回上传页</a></p>')
