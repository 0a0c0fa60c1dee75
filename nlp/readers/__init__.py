"""Reading inputs: notice lists (:mod:`.notices`) and annual reports (:mod:`.reports`).

These modules and :mod:`nlp.classifier.model_file` are the only places that read files.
"""
