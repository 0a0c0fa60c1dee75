"""Word tokenization of notice titles: jieba with the project's lexicon.

jieba keeps a global dictionary; :class:`Tokenizer` hides it behind one object
that carries its own lexicon, so a pickled model tokenizes the same way wherever
it is loaded. Two engines give the same tokens:

* ``jieba``: the reference implementation (pure Python).
* ``rjieba``: jieba's Rust port, with the same dictionary and algorithm, about
  five times faster. It differs from jieba only on runs of digits and Latin
  letters, so both engines are only ever given runs of Chinese characters; the
  rest is split by a regular expression here. ``tests/test_tokenizer.py``
  checks that the two agree on the whole corpus, lexicon included.
"""

from __future__ import annotations

import functools
import logging
import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

_RUN_RE = re.compile(r"[\u4e00-\u9fff]+|[a-z]+|[0-9]+|#")
# Batches are joined with a character no title holds, and runs cut in one engine call.
_DOC_SEP, _RUN_SEP = "\x01", "\n"
_BATCH_RE = re.compile(_RUN_RE.pattern + "|" + _DOC_SEP)
_BACKENDS = ("auto", "jieba", "rjieba")


def read_lexicon(path: str | Path) -> tuple[tuple[str, int], ...]:
    """Read a jieba user dictionary (``word [freq] [tag]`` per line) into a tuple.

    Lines starting with ``#`` are comments. A word without frequency gets a
    high one, so that the lexicon term is kept whole.
    """
    entries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 20000
        entries.append((parts[0], freq))
    return tuple(entries)


class Tokenizer:
    """A picklable callable that turns a normalised title into word tokens.

    Parameters
    ----------
    lexicon : tuple of (word, frequency), default=()
        Domain terms to keep whole (``corpus/lexicon.txt``).
    backend : {"auto", "jieba", "rjieba"}, default="auto"
        ``auto`` takes rjieba when it is installed, else jieba.

    Examples
    --------
    >>> tok = Tokenizer(lexicon=(("特困供养", 20000),), backend="jieba")
    >>> tok("特困供养人员名单公示")
    ['特困供养', '人员名单', '公示']
    """

    def __init__(self, lexicon: tuple[tuple[str, int], ...] = (), backend: str = "auto"):
        self.lexicon = lexicon
        self.backend = backend

    def __call__(self, text: str) -> list[str]:
        cut = self._cut()
        tokens: list[str] = []
        for run in _RUN_RE.findall(text):
            if not run.isascii():
                tokens.extend(cut(run))
            else:
                tokens.append(run)
        return tokens

    def tokenize_batch(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The tokens of all documents in order, and the index of the document of each.

        Gives exactly ``[t for d in docs for t in self(d)]``, but calls the engine
        once for the whole batch, on each distinct run of Chinese characters once
        (「的通知」, 「关于印发」 and place names recur across a list): the runs are
        joined by newlines, which both engines keep as separate tokens and never cut
        across.

        >>> tokens, doc_of = Tokenizer(backend="jieba").tokenize_batch(["低保公示", "abc", "第0批"])
        >>> tokens.tolist(), doc_of.tolist()
        (['低保', '公示', 'abc', '第', '0', '批'], [0, 0, 1, 2, 2, 2])
        """
        text = _DOC_SEP.join(docs)
        if text.count(_DOC_SEP) != max(len(docs) - 1, 0):  # a document holds the separator
            per_doc = [self(d) for d in docs]
            lengths = [len(t) for t in per_doc]
            return (np.array([t for ts in per_doc for t in ts], dtype=object).reshape(-1),
                    np.repeat(np.arange(len(docs)), lengths))
        found = _BATCH_RE.findall(text)
        runs = np.array(found, dtype=object).reshape(-1)
        is_sep = runs == _DOC_SEP
        # Every run but a Chinese one is ASCII, and str.isascii reads a flag: no scan.
        is_han = ~np.fromiter(map(str.isascii, found), dtype=bool, count=len(found))
        which, distinct = pd.factorize(runs[is_han], sort=False)
        pieces = self._cut()(_RUN_SEP.join(distinct)) if len(distinct) else []
        cut = np.array(pieces, dtype=object).reshape(-1)
        newline = cut == _RUN_SEP
        distinct_counts = np.diff(np.concatenate(([-1], np.flatnonzero(newline), [len(cut)]))) - 1
        distinct_tokens = cut[~newline]
        # Tokens per run: what the engine gave a run of Chinese, one for any other run.
        per_run = np.ones(len(runs), dtype=np.int64)
        per_run[is_sep] = 0
        han_counts = distinct_counts[which] if len(distinct) else np.zeros(0, dtype=np.int64)
        per_run[is_han] = han_counts
        start = np.cumsum(per_run) - per_run
        tokens = np.empty(int(per_run.sum()), dtype=object)
        other = ~is_han & ~is_sep
        tokens[start[other]] = runs[other]
        within = _ranks(han_counts)
        source = np.repeat((np.cumsum(distinct_counts) - distinct_counts)[which], han_counts)
        tokens[np.repeat(start[is_han], han_counts) + within] = distinct_tokens[source + within]
        doc_of = np.repeat(np.cumsum(is_sep), per_run)
        return tokens, doc_of

    def _cut(self):
        cut = self.__dict__.get("_cut_fn")
        if cut is None:
            cut = _make_engine(self.backend, self.lexicon)
            self._cut_fn = cut
        return cut

    def __getstate__(self) -> dict:
        # The engine holds a dictionary of ~350k words: rebuild it after loading.
        return {"lexicon": self.lexicon, "backend": self.backend}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"Tokenizer(lexicon=<{len(self.lexicon)} words>, backend={self.backend!r})"


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, …, n-1 for each group of ``n`` in ``counts``, concatenated.

    >>> _ranks(np.array([2, 0, 3])).tolist()
    [0, 1, 0, 1, 2]
    """
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


@contextmanager
def _quiet(logger: logging.Logger):
    """Raise ``logger``'s level to WARNING for a block, then restore it."""
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


@functools.lru_cache(maxsize=4)
def _make_engine(backend: str, lexicon: tuple[tuple[str, int], ...]):
    """A cut function over an engine of our own with ``lexicon`` added.

    Cached: building jieba's engine loads its ~350k-word dictionary (about half a
    second), and the engine is never changed after this function, so tokenizers
    with the same backend and lexicon (a model loaded twice, a clone) share one.
    """
    if backend not in _BACKENDS:
        raise ValueError(f"backend must be one of {_BACKENDS}, not {backend!r}")
    if backend in ("auto", "rjieba"):
        try:
            import rjieba
        except ImportError:
            if backend == "rjieba":
                raise
        else:
            # An engine of our own: the lexicon never reaches rjieba's module-level one,
            # so ``rjieba.cut`` elsewhere in the process keeps its own tokens.
            engine = rjieba.Jieba()
            for word, freq in lexicon:
                engine.add_word(word, freq, None)
            return lambda s: engine.cut(s, True)
    import jieba

    engine = jieba.Tokenizer()
    with _quiet(jieba.default_logger):  # its dictionary-loading messages, not ours to show
        engine.initialize()
    for word, freq in lexicon:
        engine.add_word(word, freq)
    return lambda s: engine.lcut(s, HMM=True)
