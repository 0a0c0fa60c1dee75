"""The counts of the corpus datasheet (``corpus/README.md``), computed from the files.

    python scripts/corpus_datasheet.py          # rewrite the generated part of the datasheet
    python scripts/corpus_datasheet.py --check  # exit 1 when it is out of date (a test runs this)

The generated part lies between ``<!-- counts:begin -->`` and ``<!-- counts:end -->``:
rows per label and kind of source, per split; sites and provinces of the real rows; and
how often a site's own column (栏目) names the domain the labeling guide gives — what an
office's own filing looks like.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.classifier.classify import office_domain  # noqa: E402
from nlp.classifier.training import site_key  # noqa: E402
from nlp.labels import DOMAINS, LABELS  # noqa: E402

README = ROOT / "corpus" / "README.md"
BEGIN, END = "<!-- counts:begin -->", "<!-- counts:end -->"
TOP_SITES = 30


def kind_of(source: str) -> str:
    if source.startswith("web/"):
        return "real, many sites"
    if source.startswith("pingtan/"):
        return "real, 平潭"
    return "written" if source == "written" else "written/contrast"


def corpus_rows() -> pd.DataFrame:
    frames = []
    for path in [ROOT / "corpus" / "train.csv", *sorted((ROOT / "corpus" / "test").glob("*.csv"))]:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["split"] = "train" if path.name == "train.csv" else f"test/{path.name}"
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    rows["kind"] = rows["source"].map(kind_of)
    return rows


def web_provenance() -> pd.DataFrame:
    files = sorted((ROOT / "corpus" / "sources" / "web").glob("*.csv"))
    if not files:
        return pd.DataFrame(columns=["title", "label", "host", "column", "province"])
    return pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in files],
                     ignore_index=True)


def _table(frame: pd.DataFrame) -> list[str]:
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join([frame.index.name or "", *cols]) + " |",
             "|" + "---|" * (len(cols) + 1)]
    for idx, row in frame.iterrows():
        lines.append("| " + " | ".join([str(idx), *(str(v) for v in row)]) + " |")
    return lines


def generated() -> str:
    rows = corpus_rows()
    used = set(rows["title"])
    out = ["### Rows per label and kind of source", ""]
    table = rows.pivot_table(index="label", columns="kind", values="title", aggfunc="count",
                             fill_value=0).reindex(LABELS, fill_value=0)
    table["total"] = table.sum(axis=1)
    for split in sorted(rows["split"].unique()):
        if split != "train":
            table[f"of which {split}"] = rows[rows["split"] == split].groupby("label").size() \
                .reindex(LABELS, fill_value=0)
    table.loc["**total**"] = table.sum()
    table.index.name = "label"
    out += [*_table(table), ""]

    real = rows[rows["kind"].str.startswith("real")]
    sites = real.groupby(real["site"].map(site_key)).size().sort_values(ascending=False)
    test_sites = rows[rows["split"] == "test/sites.csv"]["site"].map(site_key).nunique()
    out += [f"Real rows: {len(real)} from {len(sites)} sites; the site-held-out test split "
            f"holds {test_sites} sites whole.", "", f"### Top {TOP_SITES} sites", ""]
    top = sites.head(TOP_SITES).to_frame("rows")
    top.index.name = "site"
    out += [*_table(top), ""]

    web = web_provenance()
    web = web[web["title"].isin(used)].assign(site=lambda f: f["host"].map(site_key))
    if len(web):
        provinces = web.groupby("province").agg(rows=("title", "size"), sites=("site", "nunique"))
        provinces = provinces.sort_values("rows", ascending=False)
        provinces.index.name = "province"
        out += ["### Provinces of the many-site rows", "", *_table(provinces), ""]
    out += ["### A site's own column against the guide's label", "",
            "Rows whose column names a domain (平潭's channels, other sites' 栏目), by the "
            "domain the column names: how often the guide's label is that domain.", ""]
    pingtan = pd.read_csv(ROOT / "corpus" / "sources" / "pingtan" / "gold.csv", dtype=str,
                          keep_default_na=False)
    weak = pd.concat([
        pd.DataFrame({"column_domain": pingtan["weak_label"], "label": pingtan["label"]}),
        pd.DataFrame({"column_domain": web["column"].map(office_domain), "label": web["label"]}),
    ], ignore_index=True)
    weak = weak[weak["column_domain"].isin(DOMAINS)]
    agree = weak.assign(agrees=weak["column_domain"] == weak["label"]).groupby(
        "column_domain").agg(rows=("agrees", "size"), agree=("agrees", "mean"))
    agree["agree"] = agree["agree"].map("{:.0%}".format)
    agree.index.name = "column names"
    out += _table(agree.reindex([d for d in DOMAINS if d in agree.index]))
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{generated()}{END}{tail}"
    if args.check:
        if new != text:
            print(f"{README} is out of date; run scripts/corpus_datasheet.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
