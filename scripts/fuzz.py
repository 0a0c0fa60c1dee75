"""Seeded fuzzing of the readers, the parser, the classifier and the renderers.

Each case takes a real report or notice list from tests/data and corpus/examples,
mutates it (byte flips, truncation, encoding swaps, table-cell shuffles, deep
nesting, giant cells), and runs ``nlp.parse`` / ``nlp.classify`` / ``nlp.check``
on it in-process, rendering every result. An :class:`nlp.InputError` is a correct
refusal; any other exception is a bug, counted and shown.

    .venv/bin/python scripts/fuzz.py --cases 20000 --seed 1

The same seed gives the same cases. ``tests/test_fuzz.py`` runs a short run.
"""

from __future__ import annotations

import argparse
import codecs
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT_FILES = [*sorted(p for p in (ROOT / "tests" / "data" / "reports").iterdir()
                        if p.suffix in (".txt", ".html", ".md", ".docx")),
                ROOT / "corpus" / "examples" / "example-report.txt"]
PDF_FILES = sorted((ROOT / "tests" / "data" / "reports").glob("*.pdf"))
LIST_FILES = [ROOT / "corpus" / "examples" / "notices-2023.csv"]


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def _text_of(data: bytes) -> str:
    for enc in ("utf-8-sig", "gbk", "utf-16"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _encoding(rng: random.Random, data: bytes) -> bytes:
    text = _text_of(data)
    choice = rng.choice(["gbk", "gb18030", "utf-16", "utf-16-le", "utf-32", "utf-8-sig",
                         "bom-over-gbk", "mixed", "big5"])
    if choice == "bom-over-gbk":
        return codecs.BOM_UTF8 + text.encode("gbk", errors="replace")
    if choice == "mixed":
        cut = rng.randrange(len(text) + 1)
        return text[:cut].encode("utf-8") + text[cut:].encode("gbk", errors="replace")
    return text.encode(choice, errors="replace")


def _shuffle_cells(rng: random.Random, data: bytes) -> bytes:
    text = _text_of(data)
    lines = text.split("\n")
    rows = [i for i, ln in enumerate(lines) if "\t" in ln or ln.count("|") > 2
            or ln.count(",") > 1 or "<td" in ln]
    for _ in range(rng.randint(1, 10)):
        if not rows:
            break
        i = rng.choice(rows)
        sep = "\t" if "\t" in lines[i] else "|" if "|" in lines[i] else \
            "</td>" if "<td" in lines[i] else ","
        cells = lines[i].split(sep)
        rng.shuffle(cells)
        if rng.random() < 0.3:
            cells.insert(rng.randrange(len(cells) + 1), rng.choice(["", "-", "1e309", "Ⅻ",
                                                                    "9" * 40, "=1+1"]))
        lines[i] = sep.join(cells)
    return "\n".join(lines).encode("utf-8")


def _nest(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([50, 300, 5000, 50_000])
    text = _text_of(data)
    kind = rng.choice(["html", "json", "md"])
    if kind == "html":
        return (f"<html><body>{'<div>' * depth}{text}{'</div>' * depth}</body></html>").encode()
    if kind == "json":
        return ("[" * depth + '"' + text[:100].replace('"', "") + '"' + "]" * depth).encode()
    return ("> " * min(depth, 5000) + text).encode()


def _giant(rng: random.Random, data: bytes) -> bytes:
    text = _text_of(data)
    size = rng.choice([40_000, 300_000, 2_000_000])
    blob = rng.choice(["防", "1", "a,", "\t", "=", "一、"]) * (size // 2)
    cut = rng.randrange(len(text) + 1)
    return (text[:cut] + blob + text[cut:]).encode("utf-8")


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "byte_flip": _flip, "truncate": _truncate, "encoding": _encoding,
    "cell_shuffle": _shuffle_cells, "deep_nesting": _nest, "giant_cell": _giant,
}


@dataclass
class Tally:
    """Outcomes per (target, mutation)."""

    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, key: tuple[str, str], outcome: str) -> None:
        self.counts[(*key, outcome)] += 1

    def unexpected(self) -> int:
        return sum(n for (_, _, outcome), n in self.counts.items() if outcome == "unexpected")

    def table(self) -> str:
        keys = sorted({(t, m) for t, m, _ in self.counts})
        lines = [f"{'target':<9} {'mutation':<13} {'cases':>6} {'ok':>6} {'refused':>8} "
                 f"{'unexpected':>10}"]
        for t, m in keys:
            ok, ref, bad = (self.counts[(t, m, o)] for o in ("ok", "refused", "unexpected"))
            lines.append(f"{t:<9} {m:<13} {ok + ref + bad:>6} {ok:>6} {ref:>8} {bad:>10}")
        total = Counter()
        for (_, _, o), n in self.counts.items():
            total[o] += n
        lines.append(f"{'all':<9} {'':<13} {sum(total.values()):>6} {total['ok']:>6} "
                     f"{total['refused']:>8} {total['unexpected']:>10}")
        return "\n".join(lines)


def run(cases: int, seed: int, *, pdf_share: float = 0.02, verbose: bool = False) -> Tally:
    """Run ``cases`` seeded cases and return the tally."""
    import nlp
    from nlp.errors import InputError
    from nlp.render import render
    from nlp.render.notices import write_notices

    rng = random.Random(seed)
    model = nlp.load_model()
    originals = {p: p.read_bytes() for p in [*REPORT_FILES, *PDF_FILES, *LIST_FILES]}
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(cases):
            target = rng.choice(["parse", "parse", "classify", "check"])
            mutation = rng.choice(list(MUTATIONS))
            if target == "classify":
                source = rng.choice(LIST_FILES)
            elif PDF_FILES and rng.random() < pdf_share:
                source = rng.choice(PDF_FILES)
            else:
                source = rng.choice(REPORT_FILES)
            case_rng = random.Random(rng.getrandbits(64))
            data = MUTATIONS[mutation](case_rng, originals[source])
            suffix = case_rng.choice([source.suffix, source.suffix, ".txt", ""])
            if target == "classify" and mutation == "deep_nesting" and data.startswith(b"["):
                suffix = ".json"
            path = Path(tmp) / f"case{number}{suffix}"
            path.write_bytes(data)
            try:
                if target == "parse":
                    nlp.parse(path).to_dict()
                elif target == "classify":
                    frame = nlp.classify(path, model)
                    with tempfile.SpooledTemporaryFile(mode="w+b") as sink:
                        write_notices([frame], "xlsx", sink)
                    write_notices([frame], "csv", _Text())
                else:
                    notices = LIST_FILES[0] if case_rng.random() < 0.5 else None
                    result = nlp.check(path, notices=notices, model=model)
                    render(result, case_rng.choice(["html", "md", "json", "xlsx"]))
                tally.add((target, mutation), "ok")
            except InputError:
                tally.add((target, mutation), "refused")
            except Exception as exc:
                tally.add((target, mutation), "unexpected")
                where = traceback.extract_tb(exc.__traceback__)[-1]
                tally.failures.append(f"case {number} {target}/{mutation} {source.name}: "
                                      f"{type(exc).__name__}: {str(exc)[:120]} "
                                      f"({Path(where.filename).name}:{where.lineno})")
                if verbose:
                    traceback.print_exc()
            finally:
                path.unlink(missing_ok=True)
    return tally


class _Text:
    """A text sink that throws the CSV away."""

    def write(self, text: str) -> int:
        return len(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="print each traceback")
    args = parser.parse_args(argv)
    started = time.monotonic()
    tally = run(args.cases, args.seed, verbose=args.verbose)
    print(tally.table())
    print(f"{args.cases} cases, seed {args.seed}, {time.monotonic() - started:.0f} s; "
          f"unexpected exceptions: {tally.unexpected()}")
    for line in tally.failures[:30]:
        print("  " + line)
    return 1 if tally.unexpected() else 0


if __name__ == "__main__":
    sys.exit(main())
