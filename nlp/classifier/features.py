"""The model's two n-gram views of a title, computed for a whole batch at once.

scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer` analyses
one document at a time in Python: it builds a list of n-gram strings per title and
looks each up in a dict. On short titles that loop costs far more than the model.
The two subclasses here keep its ``fit`` (vocabulary, document frequencies, idf) and
its parameters, and replace ``transform`` by array operations over the whole batch:

* :class:`CharNgramTfidf` turns the batch into one array of code points;
* :class:`WordNgramTfidf` tokenizes the batch in one engine call
  (:meth:`nlp.tokenizer.Tokenizer.tokenize_batch`) and maps tokens to integer ids
  with a pandas hash index.

Either way the batch becomes one array of unit ids, and :func:`_ngram_counts` packs
every n-gram into one integer (its ids as the digits of a base-``B`` number), looks
all of them up at once in a hash index of the packed vocabulary, and builds the
count matrix directly in CSR form.

Both give exactly the matrix the parent class gives (``tests/test_features.py``
compares them on the corpus and on random text); for settings they do not cover
(a custom analyzer, lower-casing, binary counts, n-grams too long to pack into 63
bits) they defer to the parent.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

_WHITE_SPACES = re.compile(r"\s\s+")  # what sklearn's char analyzer folds to one space
_TERM_SEP = "\x00"  # joins the vocabulary's terms when pickled


_CACHES = ("_packed", "_token_index", "_token_ids")  # derived from vocabulary_, not pickled


class _BatchTfidf(TfidfVectorizer):
    """TfidfVectorizer whose ``transform`` counts n-grams with array operations.

    The lookup tables ``transform`` uses are derived from ``vocabulary_``: they are
    rebuilt by every ``fit`` (a refitted vectorizer never keeps the tables of its
    previous vocabulary) and, after unpickling, on first use.
    """

    def fit(self, raw_documents, y=None):
        super().fit(raw_documents, y)
        self._derive_tables()
        return self

    def fit_transform(self, raw_documents, y=None):
        counts = super().fit_transform(raw_documents, y)
        self._derive_tables()
        return counts

    def _derive_tables(self) -> None:
        for cache in _CACHES:
            self.__dict__.pop(cache, None)
        if self._batchable():
            self._packed_vocabulary()

    def transform(self, raw_documents):
        check_is_fitted(self, msg="The TF-IDF vectorizer is not fitted")
        if isinstance(raw_documents, str) or not self._batchable():
            return super().transform(raw_documents)
        docs = [str(d) for d in raw_documents]
        units, doc_of = self._units(docs)
        index, columns, base = self._packed_vocabulary()
        counts = _ngram_counts(units, doc_of, base, self.ngram_range, index, columns,
                               len(docs), len(self.vocabulary_))
        return self._weigh(counts)

    def _batchable(self) -> bool:
        return (self.input == "content" and self.preprocessor is None and not self.lowercase
                and self.strip_accents is None and not self.binary
                and self.norm in ("l1", "l2", None))

    def _units(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The unit ids of the batch (0 for a unit outside the vocabulary) and their document."""
        raise NotImplementedError

    def _gram_units(self, gram: str) -> list[int]:
        """The unit ids of one vocabulary entry."""
        raise NotImplementedError

    def _base(self) -> int:
        raise NotImplementedError

    def _packed_vocabulary(self) -> tuple[pd.Index, np.ndarray, int]:
        """The vocabulary as packed integer keys (a hash index), their columns, and the base.

        Built on first use and not pickled: it is cheap to rebuild from ``vocabulary_``.
        """
        packed = self.__dict__.get("_packed")
        if packed is None:
            base = self._base()
            keys = [_pack(self._gram_units(gram), base) for gram in self.vocabulary_]
            packed = (pd.Index(np.asarray(keys, dtype=np.uint64)),
                      np.fromiter(self.vocabulary_.values(), dtype=np.int64,
                                  count=len(self.vocabulary_)), base)
            self._packed = packed
        return packed

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        # TfidfTransformer.transform, spelled out with the fitted public idf_.
        if self.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if self.use_idf:
            counts.data *= self.idf_[counts.indices]
        if self.norm is not None:
            counts = normalize(counts, norm=self.norm, copy=False)
        return counts

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: for our classes it is __dict__ itself
        for cache in _CACHES:
            state.pop(cache, None)
        # joblib unpickles a dict item by item in pure Python (66k items: most of the
        # model's load time); one string and one array load at once.
        vocabulary = state.get("vocabulary_")
        if vocabulary is not None and not any(_TERM_SEP in term for term in vocabulary):
            del state["vocabulary_"]
            state["_vocabulary_terms"] = _TERM_SEP.join(vocabulary)
            state["_vocabulary_columns"] = np.fromiter(vocabulary.values(), dtype=np.int64,
                                                       count=len(vocabulary))
        return state

    def __setstate__(self, state: dict) -> None:
        if "_vocabulary_terms" in state:
            state = dict(state)
            terms, columns = state.pop("_vocabulary_terms"), state.pop("_vocabulary_columns")
            state["vocabulary_"] = dict(zip(terms.split(_TERM_SEP) if len(columns) else [],
                                            columns.tolist(), strict=True))
        super().__setstate__(state)


def _pack(units: list[int], base: int) -> int:
    key = 0
    for unit in units:
        key = key * base + unit
    return key


def _ngram_counts(units: np.ndarray, doc_of: np.ndarray, base: int,
                  ngram_range: tuple[int, int], index: pd.Index, columns: np.ndarray,
                  n_docs: int, n_features: int) -> sp.csr_matrix:
    """Count matrix of the vocabulary's n-grams in a batch of unit ids.

    Unit ids are ``1 .. base - 1``; 0 marks a unit no vocabulary entry holds, so no
    n-gram through it is looked up. An n-gram of length ``n`` packs into
    ``[base ** (n - 1), base ** n)``, so lengths never collide, and the keys are laid
    out start position by start position: their documents never decrease, so the
    rows of the CSR matrix need no global sort (scipy then merges the n-grams a
    title repeats, sorting within each row).
    """
    low, high = ngram_range
    total = len(units)
    keys = np.zeros((total, high - low + 1), dtype=np.uint64)
    gram = np.zeros(total, dtype=np.uint64)
    ok = np.ones(total, dtype=bool)
    b = np.uint64(base)
    for n in range(1, high + 1):
        starts = total - n + 1
        if starts <= 0:
            break
        tail = units[n - 1:]
        gram = gram[:starts] * b + tail
        ok = ok[:starts] & (tail != 0) & (doc_of[:starts] == doc_of[n - 1:])
        if n >= low:
            keys[:starts, n - low] = np.where(ok, gram, 0)
    flat = keys.ravel()
    pos = index.get_indexer(flat)
    found = pos >= 0
    rows = np.repeat(doc_of, high - low + 1)[found]
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_docs), out=indptr[1:])
    counts = sp.csr_matrix((np.ones(len(rows)), columns[pos[found]], indptr),
                           shape=(n_docs, n_features))
    counts.sum_duplicates()
    return counts


class CharNgramTfidf(_BatchTfidf):
    """:class:`~sklearn.feature_extraction.text.TfidfVectorizer` with ``analyzer="char"``,
    transformed a batch at a time. A unit is a code point plus one.

    Examples
    --------
    >>> docs = ["低保名单公示", "安全生产检查", "低保 审批"]
    >>> fast = CharNgramTfidf(analyzer="char", ngram_range=(1, 3), lowercase=False).fit(docs)
    >>> slow = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False).fit(docs)
    >>> abs(fast.transform(["低保审批公示"]) - slow.transform(["低保审批公示"])).max() < 1e-15
    np.True_
    """

    _CODE_POINT_BITS = 21  # every code point plus one fits

    def _batchable(self) -> bool:
        return (super()._batchable() and self.analyzer == "char"
                and self.ngram_range[1] * self._CODE_POINT_BITS < 64)

    def _base(self) -> int:
        return 1 << self._CODE_POINT_BITS

    def _gram_units(self, gram: str) -> list[int]:
        return [ord(c) + 1 for c in gram]

    def _units(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        text = "".join(docs)
        if _WHITE_SPACES.search(text):
            docs = [_WHITE_SPACES.sub(" ", d) for d in docs]
            text = "".join(docs)
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return units.astype(np.uint64) + 1, np.repeat(np.arange(len(docs)), lengths)


class WordNgramTfidf(_BatchTfidf):
    """:class:`~sklearn.feature_extraction.text.TfidfVectorizer` over the words of a
    :class:`nlp.tokenizer.Tokenizer`, transformed a batch at a time.

    A unit is the position of a token among the tokens of the vocabulary, plus one.
    The tokenizer must offer ``tokenize_batch``; any other tokenizer, or a stop-word
    list, makes ``transform`` the parent's.
    """

    def _batchable(self) -> bool:
        return (super()._batchable() and self.analyzer == "word" and self.stop_words is None
                and hasattr(self.tokenizer, "tokenize_batch")
                and (len(self._tokens()) + 1) ** self.ngram_range[1] < 2 ** 64)

    def _tokens(self) -> pd.Index:
        tokens = self.__dict__.get("_token_index")
        if tokens is None:
            tokens = pd.Index(sorted({t for gram in self.vocabulary_ for t in gram.split(" ")}))
            self._token_index = tokens
        return tokens

    def _base(self) -> int:
        return len(self._tokens()) + 1

    def _gram_units(self, gram: str) -> list[int]:
        ids = self.__dict__.get("_token_ids")
        if ids is None:
            ids = self._token_ids = {t: i + 1 for i, t in enumerate(self._tokens())}
        return [ids[t] for t in gram.split(" ")]

    def _units(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        tokens, doc_of = self.tokenizer.tokenize_batch(docs)
        return (self._tokens().get_indexer(tokens) + 1).astype(np.uint64), doc_of
