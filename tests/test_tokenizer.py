"""The tokenizer: lexicon terms stay whole, both engines give identical tokens, pickling."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from nlp.classifier.titles import normalize_title
from nlp.classifier.tokenizer import Tokenizer, read_lexicon

from .conftest import ROOT

LEXICON = read_lexicon(ROOT / "corpus" / "lexicon.txt")


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
@pytest.mark.parametrize("term", ["特困供养", "高龄津贴", "公益性岗位", "应急避难场所", "九小场所",
                                  "低保", "日间照料中心", "创业担保贷款"])
def test_lexicon_terms_stay_whole(backend, term):
    tok = Tokenizer(lexicon=LEXICON, backend=backend)
    assert term in tok(f"关于做好{term}工作的通知")


def test_engines_agree_on_the_whole_corpus():
    titles = pd.concat([pd.read_csv(ROOT / "corpus" / "train.csv"),
                        pd.read_csv(ROOT / "corpus" / "test" / "random.csv")])["title"]
    jieba_tok = Tokenizer(lexicon=LEXICON, backend="jieba")
    rust_tok = Tokenizer(lexicon=LEXICON, backend="rjieba")
    texts = [normalize_title(t) for t in titles]
    differ = [t for t in texts if jieba_tok(t) != rust_tok(t)]
    assert differ == []
    assert len(texts) > 6000


def test_non_chinese_runs_are_split_without_the_engine():
    tok = Tokenizer(backend="jieba")
    assert tok("第0季度(#)abc公示") == ["第", "0", "季度", "#", "abc", "公示"]


def test_pickle_round_trip_keeps_behaviour():
    tok = Tokenizer(lexicon=LEXICON, backend="auto")
    before = tok("养老服务补贴发放名单")
    again = pickle.loads(pickle.dumps(tok))
    assert again("养老服务补贴发放名单") == before
    assert "_cut_fn" not in pickle.loads(pickle.dumps(tok)).__dict__


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend"):
        Tokenizer(backend="spacy")("文本")


def test_the_lexicon_never_reaches_rjiebas_module_level_engine():
    """A loaded model leaves ``rjieba.cut`` as a fresh process has it."""
    import subprocess
    import sys

    code = ("import rjieba; from nlp.classifier.tokenizer import Tokenizer; "
            "before = rjieba.cut('特困供养人员名单'); "
            "Tokenizer(lexicon=(('特困供养', 20000),), backend='rjieba')('特困供养人员名单'); "
            "after = rjieba.cut('特困供养人员名单'); "
            "print(before == after, '特困供养' in after)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == ["True", "False"]


def test_jiebas_logger_level_is_left_as_it_was():
    import logging

    import jieba

    jieba.default_logger.setLevel(logging.DEBUG)
    Tokenizer(backend="jieba")("防汛应急演练")
    assert jieba.default_logger.level == logging.DEBUG
