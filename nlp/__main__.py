"""``python -m nlp`` is the ``disclosure`` command."""

from nlp.cli import run

run()
