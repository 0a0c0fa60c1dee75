"""Corpus integrity: labels, size, sources, duplicates, near-duplicates, disjoint splits."""

from __future__ import annotations

import pandas as pd
import pytest
from dedup import near_duplicate_pairs

from nlp.classifier.training import load_corpus
from nlp.labels import DOMAINS, LABELS, OTHER

from .conftest import ROOT


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus")


@pytest.fixture(scope="module")
def rows(corpus):
    return pd.concat([corpus.train.assign(split="train"), corpus.test.assign(split="test")],
                     ignore_index=True)


def test_only_the_seven_labels(rows):
    assert set(rows["label"]) == set(LABELS)


def test_size_per_label(rows):
    counts = rows["label"].value_counts()
    assert len(rows) >= 6000
    for domain in DOMAINS:
        assert counts[domain] >= 500, domain
    assert counts[OTHER] >= 2000


def test_every_row_names_its_source(rows):
    assert rows["source"].str.len().gt(0).all()
    assert set(rows["source"]) <= {"pingtan/gold.csv", "pingtan/titles.csv", "written",
                                   "written/contrast"}


def test_no_duplicate_titles(rows):
    assert not rows["title"].duplicated().any()


def test_train_and_test_are_disjoint(corpus):
    assert not set(corpus.train["title"]) & set(corpus.test["title"])


def test_test_split_holds_real_gold_rows(corpus):
    gold_test = corpus.test["source"].eq("pingtan/gold.csv").sum()
    gold_all = gold_test + corpus.train["source"].eq("pingtan/gold.csv").sum()
    assert gold_test >= 0.15 * gold_all


def test_near_duplicates_under_two_percent(rows):
    pairs = near_duplicate_pairs(rows["title"].tolist(), n=5, threshold=0.8)
    involved = {i for i, _, _ in pairs} | {j for _, j, _ in pairs}
    assert len(involved) < 0.02 * len(rows), pairs[:10]


def test_no_near_duplicate_crosses_the_split(rows):
    pairs = near_duplicate_pairs(rows["title"].tolist(), n=5, threshold=0.8)
    split = rows["split"].to_numpy()
    assert [(rows["title"][i], rows["title"][j]) for i, j, _ in pairs if split[i] != split[j]] \
        == []


def test_gold_rows_keep_their_labels(corpus):
    from .conftest import PINGTAN

    gold = pd.read_csv(PINGTAN / "gold.csv", dtype=str)
    ours = pd.concat([corpus.train, corpus.test])
    merged = ours[ours["source"] == "pingtan/gold.csv"].merge(gold, on="title",
                                                             suffixes=("", "_gold"))
    assert len(merged) == (ours["source"] == "pingtan/gold.csv").sum()
    assert (merged["label"] == merged["label_gold"]).all()
