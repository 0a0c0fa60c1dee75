"""The domain classifier, in the order a title goes through it.

* :mod:`.titles` — the form of a title the model sees (full-width, brackets, dates);
* :mod:`.tokenizer` — jieba/rjieba word tokens with the domain lexicon;
* :mod:`.features` — word and character n-gram TF-IDF, a whole batch at a time;
* :mod:`.pipeline` — the scikit-learn Pipeline;
* :mod:`.model_file` — saving it with its manifest, finding and loading it safely;
* :mod:`.training` — selection, calibration, figures;
* :mod:`.predictor` — probabilities for long lists, on every core;
* :mod:`.classify` — a notice list in, each row's domain, confidence and review flag out.
"""
