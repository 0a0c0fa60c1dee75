"""Reading inputs: notice lists (:mod:`.notices`) and annual reports (:mod:`.reports`).

These modules and :mod:`nlp.model` are the only places that read files.
"""
