"""Reading how section 一 splits its published total: 「其中A 12条、B 30条…」 and its variants.

Real reports split the total by website column or kind of notice, by channel, by
domain of the standard, or by a mix; with 其中 / 包括 / a colon or nothing at all
before the parts; sometimes in the next sentence (「主动公开的信息包括…」); sometimes
with a nested split of one part (「微信公众号2443条，其中乡村振兴228条…」). A split is
*partial* when the report itself shows it gives only part of the total (a list ending
in 等, a single part, an approximate part): such a split is not expected to add up.
A split whose parts simply follow the total with no head word is read, but marked
``headed=False``: the rules report its not adding up with less weight.

Every word used here is data (``nlp/data/opening_phrasings.json``, through
:mod:`nlp.report.phrasings`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from nlp.labels import canonical_domain, is_known_domain
from nlp.report.document import Document
from nlp.report.layout import domain_data
from nlp.report.model import Split
from nlp.report.phrasings import phrasings
from nlp.text import parse_number

_SENTENCE_END = "。\n"
_CLAUSE_SEP = "，,;；:、"
_UNHEADED_SEP = "，,:、"  # after 「；」 a new statement starts, not the total's parts
_MAX_SPAN = 700
_PAREN_RE = re.compile(r"\(([^()]{0,200})\)")


@dataclass(frozen=True)
class SplitRead:
    """A split as read: the contract's :class:`Split` plus where it lies and how it was headed."""

    split: Split
    span: tuple[int, int]
    headed: bool
    domains: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Item:
    name: str
    value: int
    approximate: bool
    start: int
    end: int
    number_start: int


def read_split(doc: Document, end: int, total: int | None, *,
               total_clause: str = "") -> SplitRead | None:
    """The split written after a total that ends at ``end``, or ``None``.

    First the split as written right after the total (:func:`_written_split`). When
    that is not a complete split in the total's own sentence and does not add up,
    a run of parts further on that adds up exactly to the total is taken instead
    (「…700条，其中主动公开行政规范性文件数共0条。通过政府网站公开政府信息数65条，政务
    微信公开政府信息数635条。」): a list that sums to the total is its split wherever it
    stands, and a coincidence there can only make a check pass, never fail.
    """
    found = _written_split(doc, end, total, total_clause)
    if total is None:
        return found
    if found is not None and found.split.complete and (
            found.headed or sum(found.split.items.values()) == total):
        return found
    return _adding_run(doc, end, total) or found


def _written_split(doc: Document, end: int, total: int | None, total_clause: str
                   ) -> SplitRead | None:
    """The split right after the total: 其中/包括/: …, (…), parts that simply follow, or
    a head word opening the next sentence.

    ``total_clause`` is the clause of the total itself: when it names the website and
    the parts that simply follow are other channels, those parts are further channels,
    not a split of the total (「在政府网站主动公开信息36条，微信公众号发布70余条」).
    """
    norm = doc.norm
    if norm[end:end + 1] == "(":
        close = norm.find(")", end, end + 300)
        if close > 0:
            inner = _read_list(doc, _after_head(norm, end + 1), total, headed=True, stop=close)
            if inner is not None:
                return inner
            end = close + 1  # 「700条(点击量52582次)，其中…」
    head = phrasings().split_head.match(norm, end)
    if head is not None and head.end() > end and _has_head_word(norm[end:head.end()]):
        found = _read_list(doc, head.end(), total, headed=True)
        if found is not None:
            return found
        # 「其中全文电子化率达100%。」: a head with no parts; the split may open the next sentence
        return _next_sentence(doc, end, total)
    if end < len(norm) and norm[end] in _UNHEADED_SEP:
        found = _read_list(doc, end + 1, total, headed=False)
        if found is not None and found.split.complete \
                and not _extra_channels(found.split, total_clause):
            return found
    return _next_sentence(doc, end, total)


def _after_head(norm: str, pos: int) -> int:
    head = phrasings().split_head.match(norm, pos)
    return head.end() if head is not None else pos


def _adding_run(doc: Document, end: int, total: int) -> SplitRead | None:
    """A run of at least two consecutive parts, starting at a clause or line start within
    the next few sentences, whose counts add up exactly to ``total``."""
    norm = doc.norm
    limit = min(len(norm), end + _MAX_SPAN)
    heading = re.compile(r"\n\s*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")
    cut = heading.search(norm, end, limit)
    limit = cut.start() if cut else limit
    for m in phrasings().split_stop.finditer(norm, end, limit):
        if norm[m.start() - 1] in _CLAUSE_SEP + "。\n":
            limit = m.start()  # 「同时，…微信公众号…240条」 adds a channel: not a part
            break
    masked, _ = _mask_parentheses(norm, end, limit)
    items = _items(masked, end, limit)
    for k, first in enumerate(items):
        if first.start > end and norm[first.start - 1] not in _CLAUSE_SEP + "。\n":
            continue
        running = 0
        for j in range(k, len(items)):
            running += items[j].value
            if running > total:
                break
            if running == total and j > k:
                run = items[k:j + 1]
                split = _split_of(run, True, text=doc.text[run[0].start:run[-1].end])
                domains = ({_domain_name(n): v for n, v in split.items.items()}
                           if split.kind == "domain" else {})
                return SplitRead(split, (run[0].start, run[-1].end), headed=False,
                                 domains=domains)
    return None


def _has_head_word(text: str) -> bool:
    return bool(re.sub(r"[\s，,;；:、(]", "", text))


def _next_sentence(doc: Document, end: int, total: int | None) -> SplitRead | None:
    """A split that opens the sentence after the total's (「…434条。主动公开的信息包括…」)."""
    norm = doc.norm
    stop = _sentence_end(norm, end)
    if stop >= len(norm) or norm[stop] != "。":
        return None
    head = phrasings().split_head.match(norm, stop + 1)
    if head is None or not _has_head_word(norm[stop + 1:head.end()]):
        return None
    found = _read_list(doc, head.end(), total, headed=True)
    if found is None:
        return None
    # Read from another sentence: as loose as a list with no head word.
    return SplitRead(found.split, found.span, headed=False, domains=found.domains)


def _sentence_end(norm: str, pos: int) -> int:
    stop = pos
    while stop < len(norm) and norm[stop] not in _SENTENCE_END and stop - pos < _MAX_SPAN:
        stop += 1
    return stop


def _region_end(norm: str, start: int) -> int:
    """Where the split's parts stop: the sentence's end or a word adding other channels."""
    stop = _sentence_end(norm, start)
    for m in phrasings().split_stop.finditer(norm, start, stop):
        if m.start() == start or norm[m.start() - 1] in _CLAUSE_SEP + "。":
            return m.start()
    return stop


def _read_list(doc: Document, start: int, total: int | None, *, headed: bool,
               stop: int | None = None) -> SplitRead | None:
    """The parts between ``start`` and the end of the split's sentence (or ``stop``)."""
    norm = doc.norm
    stop = _region_end(norm, start) if stop is None else stop
    masked, groups = _mask_parentheses(norm, start, stop)
    items = _items(masked, start, stop)
    if not items:
        return None
    if not headed and items[0].start - start > 40:
        return None  # the next clause is not a part: nothing follows the total as its split
    nested_at = _nested_head(masked, items, stop)
    main = [i for i in items if nested_at is None or i.number_start < nested_at[0]]
    nested: dict[str, Split] = {}
    if nested_at is not None and main:
        inner = [i for i in items if i.number_start >= nested_at[1]]
        if inner:
            nested[main[-1].name] = _split_of(inner, _complete(norm, inner, stop)[0])
    for item in main:
        lo, hi = groups.get(item.end, (None, None))
        if lo is None:
            continue
        head = phrasings().split_head.match(norm, lo)
        inner = _items(norm, head.end(), hi) if head is not None else []
        if inner:
            nested[item.name] = _split_of(inner, _complete(norm, inner, hi)[0])
    main = _cut_extra_channels(norm, main)
    if not main:
        return None
    names = [i.name for i in main]
    if any(n in phrasings().pseudo_items for n in names):
        return None  # 主动公开 against 依申请公开: a restatement, not a split
    if len(main) == 1 and total is not None and main[0].value == total:
        return None  # 「网上公开了21件」: the total restated
    complete, reason = _complete(norm, main, stop)
    split = _split_of(main, complete, reason=reason, nested=nested,
                      text=doc.text[start:stop].strip(" ，,"))
    domains = ({_domain_name(n): v for n, v in split.items.items()}
               if split.kind == "domain" else {})
    return SplitRead(split, (start, stop), headed, domains)


def _cut_extra_channels(norm: str, items: list[_Item]) -> list[_Item]:
    """Column parts, then after a 「；」 only channel parts: those are further channels
    (「…其他信息31条；通过微博微信发布信息98条…」), not parts of the split."""
    for k in range(1, len(items)):
        gap = norm[items[k - 1].end:items[k].start]
        if ";" in gap or "；" in gap:
            before = {item_kind(i.name) for i in items[:k]}
            after = {item_kind(i.name) for i in items[k:]}
            if "channel" not in before and after == {"channel"}:
                return items[:k]
    return items


def _mask_parentheses(norm: str, start: int, stop: int
                      ) -> tuple[str, dict[int, tuple[int, int]]]:
    """The text with (…) blanked (offsets kept), and item end → the group right after it.

    Only ``start:stop`` is masked and only that piece is rebuilt, so a long report with
    many statements is not copied character by character for each of them.
    """
    groups: dict[int, tuple[int, int]] = {}
    pieces, pos = [], start
    for m in _PAREN_RE.finditer(norm, start, stop):
        pieces += [norm[pos:m.start()], " " * (m.end() - m.start())]
        pos = m.end()
        back = m.start()
        while back > start and norm[back - 1] == " ":
            back -= 1
        groups[back] = (m.start(1), m.end(1))
    if not groups:
        return norm, groups
    return norm[:start] + "".join(pieces) + norm[pos:], groups


def _items(text: str, start: int, stop: int) -> list[_Item]:
    """Every (name, count) part between ``start`` and ``stop``, in order."""
    p = phrasings()
    out: list[_Item] = []
    seen: dict[str, int] = {}
    for m in p.item.finditer(text, start, stop):
        if p.counts_other(text, m.end()) or p.ordinal(text, m.start("n")):
            continue
        value = parse_number(m.group("n"))
        if not isinstance(value, int):
            continue
        name = p.item_leading.sub("", m.group("name").strip())
        name = p.item_trailing.sub("", name).strip(" “”\"'")
        if not name or any(w in name for w in p.not_part_words):
            continue
        before = text[max(start, m.start("n") - 3):m.start("n")]
        approximate = bool(m.group("a")) or any(w in before for w in p.approx_before) \
            or bool(p.approx_tail.match(text, m.end()))
        if name in seen:  # two parts of the same name keep both counts
            seen[name] += 1
            name = f"{name}（{seen[name]}）"
        else:
            seen[name] = 1
        out.append(_Item(name, value, approximate, m.start(), m.end(), m.start("n")))
    return out


def _nested_head(text: str, items: list[_Item], stop: int) -> tuple[int, int] | None:
    """(start, end) of a second head word inside the list: it opens the previous part's split."""
    words = phrasings().nested_heads
    for a, b in itertools.pairwise(items):
        gap = text[a.end:b.number_start]  # the head word may open the next part's name
        for m in words.finditer(gap):
            if m.start() == 0 or gap[m.start() - 1] in _CLAUSE_SEP:
                return a.end + m.start(), a.end + m.end()
    return None


def _complete(norm: str, items: list[_Item], stop: int) -> tuple[bool, str | None]:
    """Whether the parts claim to be the whole total, and if not, why."""
    p = phrasings()
    rest = norm[items[-1].end:stop]
    if p.partial_after.match(rest) or "等" in re.sub(r"[^\u4e00-\u9fff]", "", rest)[:30]:
        return False, "等"
    if len(items) == 1:
        return False, "single"
    if any(i.approximate for i in items):
        return False, "approximate"
    return True, None


def item_kind(name: str) -> str:
    """``channel``, ``domain`` or ``column``: what one part of a split names."""
    p = phrasings()
    if any(w in name for w in p.channels) or any(name.endswith(w) or w + "“" in name
                                                   or w in name for w in p.website_channels):
        return "channel"
    if _is_domain(name):
        return "domain"
    return "column"


def _is_domain(name: str) -> bool:
    """A standard domain, or a part the report itself calls 「…领域」 (not 「重点领域」)."""
    p = phrasings()
    kinds = [w for w in domain_data()["document_kinds"] if w in name]
    rest = name
    for w in kinds:
        rest = rest.replace(w, "")
    if kinds:
        return bool(rest) and is_known_domain(rest)
    if is_known_domain(name):
        return True
    for word in p.domain_words:
        if word in name:
            stem = name.split(word)[0]
            return bool(stem) and not any(stem.endswith(s) for s in p.not_domain_stems)
    return False


def _domain_name(name: str) -> str:
    """The domain's name as the contract keys it: 「社会救助类公示」 → 社会救助."""
    rest = name
    for w in domain_data()["document_kinds"]:
        rest = rest.replace(w, "")
    return canonical_domain(rest if rest != name and is_known_domain(rest) else name)


def _split_of(items: list[_Item], complete: bool, *, reason: str | None = None,
              nested: dict[str, Split] | None = None, text: str = "") -> Split:
    kinds = {item_kind(i.name) for i in items}
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    return Split(kind=kind, items={i.name: i.value for i in items}, complete=complete,
                 partial_reason=reason, nested=nested or {}, text=text)


def _extra_channels(split: Split, total_clause: str) -> bool:
    """Parts that are other channels, after a total the clause ties to the website."""
    p = phrasings()
    names_site = any(w in total_clause for w in p.website_channels)
    return names_site and split.kind == "channel"
