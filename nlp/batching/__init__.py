"""``disclosure batch``: many reports of a district at once, on one machine or a Dask cluster.

inputs.py finds the reports and splits the notice lists by unit, units.py matches unit
names, workers.py runs the per-report tasks (here or on :mod:`dask.distributed`), and
runner.py joins them into the summary and writes the outputs. The summary pages themselves
are rendered by :mod:`nlp.render.batch`. ``disclosure serve`` runs its batch page on the same
code.
"""
