"""disclosure-nlp: checks 政府信息公开工作年度报告 against the notices an office published.

Where things live:

* reading inputs: :mod:`nlp.readers` (notice lists, annual reports)
* text: :mod:`nlp.normalize`, :mod:`nlp.tokenizer`, :mod:`nlp.features` (n-gram views)
* the classifier: :mod:`nlp.model` (the pipeline), :mod:`nlp.model_file` (saving and
  loading it safely), :mod:`nlp.training`, :mod:`nlp.predictor` (long lists, all
  cores), :mod:`nlp.classify`
* the report: :mod:`nlp.report` (data), :mod:`nlp.parser`, :mod:`nlp.rules`
* the reviewer's report: :mod:`nlp.reconcile`, :mod:`nlp.check`, :mod:`nlp.render`
* the command line: :mod:`nlp.cli`
"""

from importlib import metadata

try:
    __version__ = metadata.version("disclosure-nlp")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
