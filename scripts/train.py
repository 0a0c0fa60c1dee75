"""Train the domain classifier from the shipped corpus (same as `disclosure train`).

    python scripts/train.py [--corpus corpus/] [--out models/]

Deterministic: the same corpus gives the same model file and the same figures,
written to ``models/domain_classifier.joblib`` and its ``.json`` manifest.
"""

from __future__ import annotations

import sys

from nlp.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["train", *sys.argv[1:]]))
