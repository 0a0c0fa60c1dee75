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
    return pd.concat([corpus.train.assign(split="train"), corpus.test], ignore_index=True)


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
    web_files = {f"web/{p.stem}" for p in (ROOT / "corpus" / "sources" / "web").glob("*.csv")}
    assert set(rows["source"]) <= {"pingtan/gold.csv", "pingtan/titles.csv", "written",
                                   "written/contrast", *web_files}
    web = rows[rows["source"].str.startswith("web/")]
    assert web["site"].str.len().gt(0).all()


def test_web_rows_keep_their_provenance(rows):
    """Every real row of many sites is in corpus/sources/web with its host and URL."""
    sources = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False)
                         for p in (ROOT / "corpus" / "sources" / "web").glob("*.csv")])
    web = rows[rows["source"].str.startswith("web/")].merge(sources, on="title",
                                                            suffixes=("", "_source"))
    assert len(web) == rows["source"].str.startswith("web/").sum()
    assert (web["site"] == web["host"]).all() and (web["label"] == web["label_source"]).all()
    assert web["url"].str.startswith("http").all()


def test_the_site_split_holds_out_whole_sites(corpus):
    from nlp.classifier.training import row_groups

    sites = corpus.test[corpus.test["split"] == "sites"]
    assert len(set(row_groups(sites))) >= 15
    train_sites = set(row_groups(corpus.train))
    assert not set(row_groups(sites)) & train_sites
    assert row_groups(pd.DataFrame({"source": ["web/a", "web/b"],
                                    "site": ["www.x.gov.cn", "X.gov.cn"]})).tolist() == \
        ["x.gov.cn", "x.gov.cn"]


def test_the_datasheet_counts_are_the_files_counts():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "corpus_datasheet.py"),
                           "--check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_no_duplicate_titles(rows):
    assert not rows["title"].duplicated().any()


def test_train_and_test_are_disjoint(corpus):
    assert not set(corpus.train["title"]) & set(corpus.test["title"])
    assert set(corpus.test["split"]) == {"random", "sites"}


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
