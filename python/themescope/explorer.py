"""Explore a corpus: similar articles, duplicates, clusters, their themes, a map.

:class:`Explorer` is one object for one collection of articles. ``fit`` cleans
the scraped text (:class:`~themescope.BoilerplateRemover`), identifies each
article's language, and computes TF-IDF vectors with the multilingual
:class:`~themescope.Analyzer` (stop words and stems of each article's language);
with ``cross_language="keys"`` it adds the cognate keys of those terms
(:class:`~themescope.CognateKeys`), so that a French text finds its English
translation in an English collection, and with ``cross_language=True`` the full
language-independent features, so that a French and an English report of one
event come close. Then:

- ``neighbors``, ``similar``, ``query``: exact cosine top-k
  (:func:`~themescope.top_k_similar`), never a dense n×n matrix;
- ``duplicates``: groups of near-identical articles (the same story twice);
- ``cluster``: spherical k-means (:class:`~themescope.SphericalKMeans`) or
  agglomerative (Ward, :func:`scipy.cluster.hierarchy.linkage`) on the LSA
  vectors, with each cluster's *themes* by class-based TF-IDF;
- ``top_terms``, ``map2d`` and figures (:mod:`themescope.plotting`).

Results a person reads are pandas DataFrames; results a program uses
(neighbour indices, labels) are numpy arrays.

>>> import themescope as ts
>>> articles = ts.datasets.load_sample_articles()
>>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
>>> ex.languages_.tolist()
['fr', 'fr', 'en', 'fr', 'fr']
>>> ex.similar("000", k=2)["id"].tolist()
['001', '002']
"""

from __future__ import annotations

import inspect
import numbers
import warnings
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._keyterms import boilerplate_counts, headlines, key_term_scores
from ._themes import function_term_mask
from .analysis import Analyzer
from .clustering import Clustering
from .clustering import class_tfidf as class_tfidf  # where it was first
from .phrases import Phrases
from .language import detect_languages
from .persist import Persistent
from .text import CountVectorizer, TfidfVectorizer
from ._validation import InvalidTypeError, InvalidValueError
from ._validation import check_int as _check_int, documents_and_ids as _documents_and_ids

__all__ = ["Clustering", "Explorer"]

# What the vectorizer does unless told otherwise, and why:
# - sublinear_tf: a word said ten times is not ten times the topic (1 + log tf);
# - min_df=2: a term in a single article links no two articles, it only dilutes
#   every vector it is in, and a theme is by definition shared.
# No max_df: the Analyzer removes each language's stop words, and a story's own
# words ("gilets jaunes") may rightly be in most of a corpus about it.
DEFAULT_VECTORIZER_OPTIONS: dict[str, Any] = {"sublinear_tf": True, "min_df": 2}

# LSA: "a few dozen" dimensions keep the topics and drop the noise of the
# individual word choices (Deerwester et al. 1990); clusters, the map and the
# dendrogram work there.
LSA_COMPONENTS = 50

# Ward linkage needs the n(n-1)/2 pairwise distances: refuse beyond this many
# documents (1.6 GB of float64) rather than exhaust memory.
MAX_AGGLOMERATIVE_DOCUMENTS = 20_000

_VECTORIZER_PARAMS = frozenset(inspect.signature(TfidfVectorizer.__init__).parameters) - {"self"}
_COUNT_PARAMS = frozenset(inspect.signature(CountVectorizer.__init__).parameters) - {"self"}
_OWN_PARAMS = ("language", "boilerplate", "cross_language", "cross_language_weight", "random_state",
               "weighting", "bm25_k1", "bm25_b")
_WEIGHTINGS = ("tfidf", "bm25")
_METHODS = ("kmeans", "agglomerative")


def _l2_rows(X: Any) -> sp.csr_array:
    X = sp.csr_array(X, dtype=np.float64)
    return sp.csr_array(normalize(X, norm="l2", copy=False))


# A language's articles share its function words, spelling and n-grams: in LSA
# space they sit around a common offset, the largest direction of a mixed-language
# corpus (k=2 splits gilets_jaunes_fr_en by language: NMI 0.012 against its story
# labels). Removing each language's mean leaves what its articles say (NMI 0.40).
# Languages with few articles keep their vectors: their mean would be the articles.
MIN_ARTICLES_TO_CENTRE = 10


def _full_cross_language(cross_language: Any) -> bool:
    """Whether cross_language asks for the full features (True), not the keys ("keys") or nothing."""
    return not isinstance(cross_language, str) and bool(cross_language)


def _centre_per_language(lsa: np.ndarray, languages: Any) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Subtract each language's mean LSA vector from its articles, then L2-normalise; and the means."""
    languages = np.asarray(languages, dtype=object)
    centred = np.array(lsa, dtype=np.float64, copy=True)
    means = {}
    for language in sorted(set(languages.tolist()) - {"und"}):
        rows = np.flatnonzero(languages == language)
        if len(rows) >= MIN_ARTICLES_TO_CENTRE:
            means[str(language)] = centred[rows].mean(axis=0)
            centred[rows] -= means[str(language)]
    return np.ascontiguousarray(normalize(centred)), means


class Explorer(Persistent, BaseEstimator):  # type: ignore[misc]
    """Explore a collection of news articles: neighbours, duplicates, clusters, themes.

    Parameters
    ----------
    language : str, default="auto"
        The articles' language (ISO 639-1), or ``"auto"`` to identify it per
        article, once (:func:`~themescope.detect_languages` with
        ``short_sample=True``, on the text as given): that answer chooses the
        stop words of boilerplate removal, the stop words and stemmer of the
        :class:`~themescope.Analyzer`, and is ``languages_``.
    boilerplate : bool, default=True
        Remove scraped boilerplate (newsletter blocks, comment forms, lists)
        with :class:`~themescope.BoilerplateRemover` before anything else.
    cross_language : {False, "keys", True}, default=False
        ``False``: terms only. ``"keys"``: join the cognate keys of the analyzer's terms
        (:class:`~themescope.CognateKeys`: each folded stem cut to its first 4
        letters) to the term vectors, weight 0.5, so that a text in one language
        finds its translation among articles in another (a French query in an
        English collection: r@1 0.944 on the Debian Handbook paragraphs against
        0.867 without, benchmarks/eval_crosslang_index.py); cheap (one sparse
        product of the counts fit already made), and clusters, the map and
        ``lsa_`` see the terms only, as with False (an ``analyzer`` other than
        an :class:`~themescope.Analyzer`, whose terms are not stems, gets no
        keys). ``True``: add the full
        language-independent features (:class:`~themescope.CrossLanguageFeatures`:
        names, numbers, acronyms, cognates, character n-grams; about five times
        the fit time) so that articles on one story in different languages come
        close, and for clusters and the map, centre each language's LSA vectors
        on that language's mean (languages of at least 10 articles), so that
        groups form by story rather than by language. Not on by default: on a
        one-language collection the keys cost 40-75% more time in :meth:`neighbors`
        and agree less with the topics (BBC News, share of the 10 nearest
        neighbours in the article's own section: 0.924 without, 0.912 with).
    cross_language_weight : float or None, default=None
        The weight of those features (None: 0.5 for ``"keys"``,
        :data:`themescope.crosslang.DEFAULT_WEIGHT` for ``True``).
    weighting : {"tfidf", "bm25"}, default="tfidf"
        How the terms of ``vectors_`` (and of new texts compared with them:
        :meth:`transform`, long queries, :meth:`find_themes`) are weighted.
        ``"tfidf"``: the vectorizer's TF-IDF (``tfidf_``). ``"bm25"``: BM25
        weights of the term counts ``counts_`` (:class:`~themescope.BM25Transformer`,
        Lucene's formula with ``bm25_k1`` and ``bm25_b``; its idf, saturation
        and length normalisation replace the vectorizer's ``sublinear_tf`` and
        idf), a new text weighted with the fitted idf and average length.
        Rows are L2-normalised either way; themes and top terms stay on TF-IDF.
    bm25_k1, bm25_b : float, default=1.2, 0.75
        BM25's term-frequency saturation (``>= 0``) and length normalisation
        (in [0, 1]; the pivot is the average document length), used with
        ``weighting="bm25"``.
    random_state : int, RandomState or None, default=0
        Seed of the randomized SVD, k-means and samples: same seed, same results.
    **vectorizer_options
        Parameters of :class:`~themescope.TfidfVectorizer`, over the defaults
        ``sublinear_tf=True, min_df=2`` and
        ``analyzer=ts.Analyzer(language, fold_accents=True,
        phrases=ts.Phrases(keep_words=True))`` (a word written with and
        without its accents, "Etats"/"États", is one term; names, compounds
        and collocations learned from the corpus, "Joe Biden", "États-Unis",
        are terms beside their words, and themes and top terms show a word
        that a phrase above it holds only once).

    Attributes
    ----------
    ids_ : ndarray, shape (n_documents,)
        The documents' ids (given, the Series' index, the DataFrame's ``id``
        column, or 0..n-1).
    languages_ : ndarray of str, shape (n_documents,)
        Each document's language.
    vectorizer_ : TfidfVectorizer
        The fitted vectorizer.
    tfidf_ : scipy.sparse.csr_array, shape (n_documents, n_terms)
        TF-IDF rows of the analyzer's terms.
    vectors_ : scipy.sparse.csr_array of float64, shape (n_documents, n_features)
        L2-normalised rows every similarity is computed on: ``tfidf_`` (or the
        BM25 weights of ``counts_`` with ``weighting="bm25"``), plus the
        cross-language features (``cross_language_features_``) after them.
    cross_language_features_ : CognateKeys, CrossLanguageFeatures or None
        The fitted cross-language features (``"keys"``: the cognate keys,
        ``True``: the full features, ``False``: None).
    bm25_ : BM25Transformer or None
        With ``weighting="bm25"``, the transformer fitted on ``counts_``; else None.
    counts_ : scipy.sparse.csr_array, shape (n_documents, n_terms)
        Term counts (for the themes).
    feature_names_ : ndarray of str, shape (n_terms,)
        Each term in readable form (the most frequent surface form of a stem).
    function_terms_ : ndarray of bool, shape (n_terms,)
        The terms that are news function words of the documents' languages
        (:data:`themescope.lexicon.NEWS_FUNCTION_WORDS`: "said", "also",
        "selon"...): kept in the vectors, left out of themes and top terms.
    lsa_ : ndarray of float64, shape (n_documents, n_components)
        L2-normalised LSA vectors (randomized truncated SVD of ``vectors_``,
        of its term columns only with ``cross_language="keys"``; with
        ``cross_language=True``, centred per language first).
    lsa_components_ : ndarray of float64, shape (n_components, n_features) or None
        The LSA directions (the truncated SVD's right singular vectors) on
        which :meth:`add` projects new articles; None when the corpus is too
        small for an SVD (``lsa_`` is then the vectors themselves).
    boilerplate_ : BoilerplateRemover or None
        The fitted remover (its ``report_`` lists the lines removed).
    search_ : themescope.search.CollectionSearch
        The BM25 index of the articles, for short queries (:meth:`query`,
        :meth:`search`, :meth:`explain_match`).
    boilerplate_counts_ : scipy.sparse.csr_array, shape (n_documents, n_search_terms)
        The search index's counts of the lines boilerplate removal took from
        each article (the index keeps them; :meth:`top_terms` does not).
    headlines_ : ndarray of str, shape (n_documents,)
        Each article's first non-empty line after boilerplate removal: its
        headline, whose terms weigh more in :meth:`top_terms` (unless
        ``metadata_`` gives the article a title).
    clusters_ : Clustering
        The latest result of :meth:`cluster` (what :meth:`map2d` colours by).

    Examples
    --------
    >>> import themescope as ts
    >>> articles = ts.datasets.load_sample_articles()
    >>> ex = ts.Explorer(cross_language=True).fit(articles.data, ids=articles.ids)
    >>> indices, scores = ex.neighbors(k=1)
    >>> ex.ids_[indices[[0, 2], 0]].tolist()   # 000 (fr) and 002 (en): the same Quad summit
    ['002', '000']
    """

    def __init__(
        self,
        language: str = "auto",
        boilerplate: bool = True,
        cross_language: bool | str = False,
        random_state: Any = 0,
        *,
        cross_language_weight: float | None = None,
        weighting: str = "tfidf",
        bm25_k1: float = 1.2,
        bm25_b: float = 0.75,
        **vectorizer_options: Any,
    ) -> None:
        self.language = language
        self.boilerplate = boilerplate
        self.cross_language = cross_language
        self.random_state = random_state
        self.cross_language_weight = cross_language_weight
        self.weighting = weighting
        self.bm25_k1 = bm25_k1
        self.bm25_b = bm25_b
        unknown = sorted(set(vectorizer_options) - _VECTORIZER_PARAMS)
        if unknown:
            # What Python says for any unknown keyword: a misspelt option must not be dropped.
            raise InvalidTypeError(
                f"Explorer got unexpected keyword argument(s) {unknown}: neither an Explorer "
                f"parameter nor a TfidfVectorizer parameter"
            )
        for name, value in vectorizer_options.items():
            setattr(self, name, value)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_key_term_scores", None)  # top_terms' scores, a cache as large as the search index: made again
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # An explorer pickled or saved before `weighting` existed weighed by TF-IDF.
        state = dict(state)  # the saved order kept: a round trip is exact
        for name, default in (("weighting", "tfidf"), ("bm25_k1", 1.2), ("bm25_b", 0.75)):
            state.setdefault(name, default)
        if "vectors_" in state:
            state.setdefault("bm25_", None)
        super().__setstate__(state)

    # ---- estimator parameters: the named ones plus the vectorizer options set ----
    def _vectorizer_option_names(self) -> list[str]:
        return sorted(name for name in _VECTORIZER_PARAMS if name in self.__dict__)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params: dict[str, Any] = super().get_params(deep=deep)
        for name in self._vectorizer_option_names():
            params[name] = getattr(self, name)
        return params

    def set_params(self, **params: Any) -> Explorer:
        for name, value in params.items():
            if name in _OWN_PARAMS or name in _VECTORIZER_PARAMS:
                setattr(self, name, value)
            else:
                raise InvalidValueError(
                    f"Invalid parameter {name!r} for Explorer: not one of {list(_OWN_PARAMS)} "
                    f"nor a TfidfVectorizer parameter"
                )
        return self

    def _vectorizer(self) -> TfidfVectorizer:
        options = dict(DEFAULT_VECTORIZER_OPTIONS)
        options["analyzer"] = Analyzer(language=self.language, fold_accents=True, phrases=Phrases(keep_words=True))
        options.update({name: getattr(self, name) for name in self._vectorizer_option_names()})
        return TfidfVectorizer(**options)

    def _validate(self) -> None:
        if not isinstance(self.language, str):
            raise InvalidTypeError(f"language must be a str, got {type(self.language).__name__} {self.language!r}")
        if not isinstance(self.boilerplate, (bool, np.bool_)):
            raise InvalidTypeError(f"boilerplate must be True or False, got {self.boilerplate!r}")
        if isinstance(self.cross_language, str):
            if self.cross_language != "keys":
                raise InvalidValueError(f"cross_language must be False, 'keys' or True, got {self.cross_language!r}")
        elif not isinstance(self.cross_language, (bool, np.bool_)):
            raise InvalidTypeError(f"cross_language must be False, 'keys' or True, got {self.cross_language!r}")
        weight = self.cross_language_weight
        if weight is not None and (
            isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not 0 <= weight <= 1
        ):
            raise InvalidValueError(f"cross_language_weight must be None or a number in [0, 1], got {weight!r}")
        if not isinstance(self.weighting, str):
            raise InvalidTypeError(f"weighting must be one of {list(_WEIGHTINGS)}, got {self.weighting!r}")
        if self.weighting not in _WEIGHTINGS:
            raise InvalidValueError(f"weighting must be one of {list(_WEIGHTINGS)}, got {self.weighting!r}")
        from .search import _check_parameter

        _check_parameter("bm25_k1", self.bm25_k1, None)
        _check_parameter("bm25_b", self.bm25_b, 1.0)

    def _languages(self, docs: list[str]) -> list[str]:
        """Each document's language: ``language``, or identified as the Analyzer would."""
        if self.language != "auto":
            return [self.language] * len(docs)
        return detect_languages(docs, short_sample=True)

    # ---- fitting ----
    def fit(self, texts: Any, ids: Any = None, y: Any = None) -> Explorer:
        """Clean, analyze and vectorize the corpus.

        Parameters
        ----------
        texts : list of str, pandas Series or DataFrame
            The articles. A Series gives its index as ids (unless it is the
            default 0..n-1); a DataFrame needs columns ``id`` and ``text`` (what
            :func:`themescope.read_corpus` returns).
        ids : sequence, optional
            One unique id per article; default: as above, else 0..n-1.

        Returns
        -------
        self

        Raises
        ------
        TypeError
            If a document is not a str (the error names it).
        ValueError
            If a document is missing (None, NaN), there are fewer than two
            documents, every document is empty, or ids are not unique.
        """
        self._validate()
        docs, index = self._fit_documents(texts, ids)
        with self._fit_progress() as bar:
            # Each document's language, identified once (natively, every core, on the sample the
            # Analyzer reads) on the text as given: boilerplate removal, the analyzer and
            # languages_ all use this answer.
            languages = self._languages(docs)
            cleaned = self._fit_boilerplate(docs, languages, bar)
            self.headlines_ = headlines(cleaned)  # what top_terms weighs as each article's headline
            vectorizer = self._fit_tfidf(cleaned, languages, len(docs), bar)
            terms = self._fit_term_weights()
            self.vectors_ = _l2_rows(self._fit_cross_language(terms, cleaned, languages, bar, vectorizer))
            self.search_ = self._fit_search(docs, vectorizer, languages)
            self.boilerplate_counts_ = boilerplate_counts(self.search_, self.boilerplate_, languages)
            self._see_search_terms()
            self._fit_lsa(languages, bar)
        self._fit_corpus_attributes(docs, index, vectorizer, languages)
        from .metadata import document_metadata

        # here, not in a step: its warnings (unparsed dates) point at the caller of fit
        self.metadata_ = document_metadata(texts, self.ids_, self.languages_)
        return self

    # the steps of fit, in order
    def _fit_documents(self, texts: Any, ids: Any) -> tuple[list[str], pd.Index]:
        docs, index = _documents_and_ids(texts, ids)
        if len(docs) < 2:
            raise InvalidValueError(f"an Explorer needs at least 2 documents, got {len(docs)}")
        if not any(doc.strip() for doc in docs):
            raise InvalidValueError(f"all {len(docs)} documents are empty")
        return docs, index

    def _fit_progress(self) -> Any:
        stages = ["boilerplate"] * bool(self.boilerplate) + ["vectors"] + ["cross-language"] * bool(
            self.cross_language) + ["LSA"]
        # A bar on a terminal only (disable=None): quiet in logs, pipes and tests.
        from tqdm.auto import tqdm  # imported where used: `import themescope` stays light
        return tqdm(total=len(stages), desc="Explorer.fit", unit="stage", disable=None, leave=False)

    def _fit_boilerplate(self, docs: list[str], languages: list[str], bar: Any) -> list[str]:
        if not self.boilerplate:
            self.boilerplate_: Any = None
            return docs
        from .boilerplate import BoilerplateRemover

        bar.set_postfix_str("boilerplate")
        remover = BoilerplateRemover()
        cleaned: list[str] = remover.fit_transform(docs, languages=languages)
        self.boilerplate_ = remover
        bar.update()
        return cleaned

    def _fit_tfidf(self, cleaned: list[str], languages: list[str], n_documents: int, bar: Any) -> TfidfVectorizer:
        bar.set_postfix_str("vectors")
        vectorizer = self._vectorizer()
        try:
            # one analysis and counting pass gives both the weights and the themes' counts
            tfidf, counts = vectorizer.fit_transform_with_counts(cleaned, languages=languages)
        except ValueError as error:  # from the corpus and options: an unknown language, no term left
            raise InvalidValueError(
                f"{error} (after boilerplate removal and analysis of {n_documents} documents "
                f"with {vectorizer.get_params(deep=False)})"
            ) from error
        self.counts_ = sp.csr_array(counts)
        bar.update()
        self.tfidf_ = sp.csr_array(tfidf)
        return vectorizer

    def _fit_term_weights(self) -> sp.csr_array:
        """bm25_, and the term block of vectors_: tfidf_, or with weighting="bm25" BM25 weights of counts_."""
        if self.weighting != "bm25":
            self.bm25_: Any = None
            return self.tfidf_
        from .search import BM25Transformer

        self.bm25_ = BM25Transformer(k1=self.bm25_k1, b=self.bm25_b)
        return sp.csr_array(self.bm25_.fit_transform(self.counts_))

    def _term_weights(self, docs: list[str], languages: list[str]) -> sp.csr_array:
        """New documents' term rows weighted as vectors_ weighs the fitted ones (not normalised)."""
        bm25 = self.bm25_
        if bm25 is None:
            return sp.csr_array(self.vectorizer_.transform(docs, languages=languages))
        counts = CountVectorizer.transform(self.vectorizer_, docs, languages=languages)
        return sp.csr_array(bm25.transform(counts))

    def _fit_cross_language(self, terms: sp.csr_array, cleaned: list[str], languages: list[str], bar: Any,
                            vectorizer: TfidfVectorizer) -> Any:
        """The term vectors, joined by the cognate keys ("keys") or the language-independent features (True)."""
        if not self.cross_language:
            self.cross_language_features_: Any = None
            return terms
        bar.set_postfix_str("cross-language")
        from .crosslang import CognateKeys, CrossLanguageFeatures

        if _full_cross_language(self.cross_language):
            features: Any = CrossLanguageFeatures()
            extra = features.fit_transform(cleaned, languages=languages)
        elif not isinstance(vectorizer.analyzer, Analyzer):  # "keys": keys are of an Analyzer's stems only
            self.cross_language_features_ = None
            bar.update()
            return terms
        else:  # "keys": keys of the terms already counted, one sparse product
            features = CognateKeys(analyzer=vectorizer.analyzer)
            extra = features.fit_counts(self.counts_, vectorizer.vocabulary_)
        self.cross_language_features_ = features
        bar.update()
        return self._with_cross_language(terms, extra)

    def _with_cross_language(self, tfidf: Any, extra: Any) -> Any:
        """TF-IDF and cross-language features side by side, weighted as asked (fit, transform and add alike)."""
        from .crosslang import DEFAULT_WEIGHT, KEY_WEIGHT, CognateKeys, cross_language_vectors

        weight = self.cross_language_weight
        if weight is None:
            weight = KEY_WEIGHT if isinstance(self.cross_language_features_, CognateKeys) else DEFAULT_WEIGHT
        return cross_language_vectors(tfidf, extra, weight=weight)

    def _see_search_terms(self) -> None:
        """The cognate keys learn which terms the collection held (the search index has every word):
        those the vocabulary left out give no key, at transform as at fit."""
        from .crosslang import CognateKeys

        features = self.cross_language_features_
        if isinstance(features, CognateKeys):
            features.see_terms(self.search_.vocabulary)

    def _lsa_columns(self, vectors: sp.csr_array) -> tuple[sp.csr_array, int]:
        """What the LSA reads of vectors: all of it, or with the cognate keys ("keys") the term
        columns only (the keys repeat the terms, coarser: the topics are the terms', and the SVD
        would cost 1.7 times as much); and how many columns are left out."""
        from .crosslang import CognateKeys

        n_terms = self.tfidf_.shape[1]
        if not isinstance(self.__dict__.get("cross_language_features_"), CognateKeys) or min(
                LSA_COMPONENTS, vectors.shape[0] - 1, n_terms - 1) < 1:  # too small for an SVD: all of it
            return vectors, 0
        return _l2_rows(vectors[:, :n_terms]), vectors.shape[1] - n_terms

    def _fit_lsa(self, languages: list[str], bar: Any) -> None:
        bar.set_postfix_str("LSA")
        self._learn_lsa(self.vectors_, languages)
        bar.update()

    def _fit_corpus_attributes(self, docs: list[str], index: pd.Index, vectorizer: TfidfVectorizer,
                               languages: list[str]) -> None:
        """What fit learnt about the corpus itself; the caches of an earlier fit are dropped."""
        self.vectorizer_ = vectorizer
        self.ids_ = index.to_numpy()
        self.languages_ = np.asarray(languages, dtype=object)
        self.feature_names_ = np.asarray(vectorizer.get_feature_names_out(display=True), dtype=object)
        self.function_terms_ = function_term_mask(vectorizer, languages)
        self.n_documents_ = len(docs)
        self.__dict__.pop("clusters_", None)
        self.__dict__.pop("_map_xy", None)
        self.__dict__.pop("_neighbors", None)
        self.__dict__.pop("_key_term_scores", None)

    def _learn_lsa(self, vectors: sp.csr_array, languages: Any) -> None:
        """lsa_, and what projects new documents the same way (lsa_components_, the language means)."""
        vectors, left_out = self._lsa_columns(vectors)
        n_docs, n_features = vectors.shape
        components = min(LSA_COMPONENTS, n_docs - 1, n_features - 1)
        if components < 1:
            self.lsa_components_: np.ndarray | None = None  # too few: the vectors themselves
            lsa = np.asarray(normalize(vectors.toarray()))
        else:
            # scikit-learn's randomized TruncatedSVD, its sparse products on the native core
            from ._lsa import truncated_svd

            transformed, self.lsa_components_ = truncated_svd(vectors, components, random_state=self._seed())
            lsa = np.ascontiguousarray(normalize(transformed))
            if left_out:  # zero on the columns left out: new vectors_ rows project as the fitted ones
                self.lsa_components_ = np.hstack([self.lsa_components_, np.zeros((components, left_out))])
        self._lsa_language_means: dict[str, np.ndarray] = {}
        if _full_cross_language(self.cross_language):
            lsa, self._lsa_language_means = _centre_per_language(lsa, languages)
        self.lsa_ = lsa

    def _project(self, vectors: sp.csr_array, languages: Any) -> np.ndarray:
        """LSA vectors of new documents: on the fitted components, centred by the fitted language means."""
        components = self.lsa_components_
        lsa = np.asarray(normalize(vectors.toarray() if components is None else
                                   np.asarray(vectors @ components.T)))
        means = self.__dict__.get("_lsa_language_means", {})
        if means:
            lsa = np.array(lsa, copy=True)
            for row, language in enumerate(np.asarray(languages, dtype=object).tolist()):
                if language in means:
                    lsa[row] -= means[language]
            lsa = np.asarray(normalize(lsa))
        return np.ascontiguousarray(lsa)

    def _seed(self) -> Any:
        return self.random_state if self.random_state is None or isinstance(self.random_state, numbers.Integral) \
            else check_random_state(self.random_state)

    # ---- looking documents up ----
    def _id_index(self) -> pd.Index:
        return pd.Index(self.ids_)

    def position(self, id_or_index: Any) -> int:
        """Row of a document given its id, or its position when no id matches.

        Raises
        ------
        KeyError
            If it is neither an id nor a position 0..n-1.
        """
        check_is_fitted(self, "vectors_")
        index = self._id_index()
        try:
            found = index.get_loc(id_or_index)
        except (KeyError, TypeError, pd.errors.InvalidIndexError):
            found = None
        if isinstance(found, (int, np.integer)):
            return int(found)
        if isinstance(id_or_index, numbers.Integral) and not isinstance(id_or_index, bool) \
                and 0 <= int(id_or_index) < len(index):
            return int(id_or_index)
        raise KeyError(f"{id_or_index!r} is neither a document id nor a position 0..{len(index) - 1}")

    def _check_k(self, k: Any, available: int) -> int:
        return _check_int("k", k, 1, available, f" (the corpus has {self.n_documents_} documents)")

    # ---- similarity ----
    def neighbors(self, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Each document's k most similar other documents.

        Exact cosine similarity of ``vectors_``, best first, ties by lower index.

        Returns
        -------
        indices : ndarray of int64, shape (n_documents, k)
        scores : ndarray of float64, shape (n_documents, k)

        Examples
        --------
        >>> import themescope as ts
        >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
        >>> indices, scores = ex.neighbors(k=2)
        >>> indices.shape, bool((scores[:, 0] >= scores[:, 1]).all())
        ((5, 2), True)
        """
        check_is_fitted(self, "vectors_")
        k = self._check_k(k, self.n_documents_ - 1)
        from .similarity import top_k_similar

        indices, scores = top_k_similar(self.vectors_, k=k)
        # kept for duplicates(), which needs the top 10 again (the costliest query of a corpus)
        # copies: a caller editing the returned arrays must not change what duplicates() reads
        self.__dict__["_neighbors"] = (k, indices.copy(), scores.copy())
        return indices, scores

    def similar(self, id_or_index: Any, k: int = 10) -> pd.DataFrame:
        """The k documents most similar to one document.

        Parameters
        ----------
        id_or_index : id or int
            The document: its id, or its position if no id matches.
        k : int, default=10

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``index``, ``id``, ``score`` (cosine), ``language``
            and ``shared_terms`` (the terms contributing most to the score).

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> ex.similar("003", k=2).columns.tolist()
        ['rank', 'index', 'id', 'score', 'language', 'shared_terms']
        """
        check_is_fitted(self, "vectors_")
        row = self.position(id_or_index)
        k = self._check_k(k, self.n_documents_ - 1)
        from .similarity import top_k_similar

        # The document as the one query row: the corpus holds it too, so ask one more and drop it.
        indices, scores = top_k_similar(self.vectors_, k=k + 1, Y=self.vectors_[[row]], exclude_self=False)
        keep = indices[0] != row
        indices, scores = indices[0][keep][:k], scores[0][keep][:k]
        shared = [", ".join(self.shared_terms(row, int(other), n=5)["term"]) for other in indices]
        return self._ranking(indices, scores, shared_terms=shared)

    def _ranking(self, indices: np.ndarray, scores: np.ndarray, **why: list[str]) -> pd.DataFrame:
        """A ranking as people read it: rank, index, id, (title), score, language, and why each matched."""
        from .metadata import titles_of

        titles = titles_of(self.__dict__.get("metadata_"), indices)
        return pd.DataFrame({
            "rank": np.arange(1, len(indices) + 1, dtype=np.int64),
            "index": indices.astype(np.int64),
            "id": self.ids_[indices],
            **({"title": titles} if titles is not None else {}),
            "score": scores,
            "language": self.languages_[indices],
            **why,
        })

    def shared_terms(self, a: Any, b: Any, n: int = 10) -> pd.DataFrame:
        """The terms two documents share, by their contribution to the TF-IDF cosine.

        Returns
        -------
        pandas.DataFrame
            Columns ``term``, ``weight`` (product of the two TF-IDF weights),
            ``weight_a`` and ``weight_b``, best first.
        """
        check_is_fitted(self, "vectors_")
        n = _check_int("n", n, 1)
        row_a, row_b = self.position(a), self.position(b)
        x = self.tfidf_[[row_a]].toarray().ravel()
        y = self.tfidf_[[row_b]].toarray().ravel()
        product = x * y
        order = np.lexsort((np.arange(len(product)), -product))[:n]
        order = order[product[order] > 0]
        same_language = self.languages_[row_a] if self.languages_[row_a] == self.languages_[row_b] else None
        return pd.DataFrame({
            "term": self._display_names(order, same_language),
            "weight": product[order],
            "weight_a": x[order],
            "weight_b": y[order],
        })

    def transform(self, texts: Any) -> sp.csr_array:
        """Vectors of new documents, comparable with ``vectors_``."""
        check_is_fitted(self, "vectors_")
        docs, _ = _documents_and_ids(texts, None)
        languages = self._languages(docs)
        if self.boilerplate_ is not None:
            docs = self.boilerplate_.transform(docs, languages=languages)
        terms = self._term_weights(docs, languages)
        if self.cross_language_features_ is not None:
            extra = self.cross_language_features_.transform(docs, languages=languages)
            return _l2_rows(self._with_cross_language(terms, extra))
        return _l2_rows(terms)

    def add(self, texts: Any, ids: Any = None, *, refit: bool = False,
            new_theme_quantile: float = 0.05) -> pd.DataFrame:
        """Add articles to the fitted collection: searchable at once, in the clusters or as new themes.

        The new articles are cleaned, analyzed and vectorized by the fitted
        steps (the vectorizer's vocabulary and idf, the fitted boilerplate
        remover and cross-language features) and projected on the fitted LSA
        components, so the vectors already there do not change. The BM25 index
        of :meth:`query` and :meth:`search` grows as if built on the whole
        collection: every word of the new articles is found, with the
        statistics of all the articles. :meth:`similar`, :meth:`neighbors`,
        :meth:`duplicates`, :meth:`top_terms` and the figures see them too.

        If the explorer has clusters (``clusters_``, from :meth:`cluster`), each
        new article joins the cluster whose centre (the normalised mean of its
        members' ``vectors_``) is most similar, when it is at least as similar
        to it as all but ``new_theme_quantile`` of that cluster's own members
        are to the centre of the others, and has as much of its text in the
        fitted vocabulary as all but that share of the fitted articles;
        the others are new themes, grouped with each other (average linkage,
        as long as a group is as tight as a typical cluster) into new clusters.
        ``clusters_`` becomes that grown clustering (numbered again by size,
        names given with :meth:`Clustering.rename` kept); a Clustering object
        taken before describes the collection as it was.

        Parameters
        ----------
        texts : list of str, pandas Series or DataFrame
            The new articles, as :meth:`fit` takes them (a DataFrame's metadata
            columns join ``metadata_``).
        ids : sequence, optional
            Their ids, none already in the collection. Default: for a
            collection with the default ids 0..n-1, n, n+1, ...; required
            otherwise.
        refit : bool, default=False
            Take the idf over the grown collection (the fitted vocabulary kept:
            a word first seen in the new articles is searchable but has no
            TF-IDF column until :meth:`fit` is run again), weigh every article
            again and fit the LSA again.
        new_theme_quantile : float in [0, 1), default=0.05
            How far from a cluster's centre a new article may be and still
            join it (see above); 0: as close as the cluster's farthest member.

        Returns
        -------
        pandas.DataFrame
            One row per new article: ``index`` (its row), ``id``, ``language``,
            and with clusters: ``cluster``, ``name``, ``similarity`` (cosine
            with the most similar fitted cluster's centre) and ``new_theme`` (it
            fit no cluster).

        Raises
        ------
        ValueError
            No article, an id already in the collection, ids missing where the
            collection has its own, or the errors of :meth:`fit`'s input checks.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data[:4], ids=articles.ids[:4])
        >>> ex.add([articles.data[4]], ids=[articles.ids[4]])[["index", "id"]].values.tolist()
        [[4, '004']]
        >>> ex.search("cyberattaques russes", k=1)["id"].tolist()
        ['004']
        """
        check_is_fitted(self, "vectors_")
        if not isinstance(refit, (bool, np.bool_)):
            raise InvalidTypeError(f"refit must be True or False, got {refit!r}")
        from . import _growth

        quantile = _growth._check_quantile(new_theme_quantile)
        docs, index = _documents_and_ids(texts, ids)
        if not docs:
            raise InvalidValueError("add needs at least one document, got none")
        # ids given (the argument, a DataFrame's column, a Series' own index) or the default 0..m-1
        added_ids = _growth.new_ids(self, index, not isinstance(index, pd.RangeIndex), len(docs))
        languages = self._languages(docs)
        n_old = self.n_documents_
        cleaned = _growth.vectorize(self, docs, languages, bool(refit))
        self.headlines_ = np.concatenate([self.__dict__.get("headlines_", headlines([""] * n_old)), headlines(cleaned)])
        if "boilerplate_counts_" in self.__dict__:  # the added documents' removed lines: the remover's last report
            added_counts = boilerplate_counts(self.search_, self.boilerplate_, languages)
            earlier = sp.csr_array(self.boilerplate_counts_, copy=True)
            earlier.resize((earlier.shape[0], added_counts.shape[1]))
            self.boilerplate_counts_ = sp.csr_array(sp.vstack([earlier, added_counts], format="csr"))
        self.ids_ = pd.Index([*self.ids_.tolist(), *added_ids.tolist()]).to_numpy()  # as fit makes them
        self.languages_ = np.concatenate([self.languages_, np.asarray(languages, dtype=object)])
        self.n_documents_ = n_old + len(docs)
        from .metadata import document_metadata

        added_metadata = document_metadata(texts, np.asarray(added_ids), np.asarray(languages, dtype=object))
        self.metadata_ = pd.concat([self.metadata_, added_metadata])
        _growth.project(self, len(docs), bool(refit))
        for cached in ("_map_xy", "_neighbors", "_key_term_scores"):
            self.__dict__.pop(cached, None)
        report = pd.DataFrame({
            "index": np.arange(n_old, self.n_documents_, dtype=np.int64),
            "id": self.ids_[n_old:],
            "language": np.asarray(languages, dtype=object),
        })
        if "clusters_" in self.__dict__:
            assigned = _growth.assign(self, len(docs), quantile)
            report = pd.concat([report, assigned], axis=1)
        return report

    def _fit_search(self, docs: list[str], vectorizer: TfidfVectorizer, languages: Any) -> Any:
        """The BM25 index of the collection: every word of every article, as given.

        As given, boilerplate included: a search should find any word the reader sees, and lines the
        remover drops include content (a fixtures list, captions, a wire paragraph two outlets share),
        while BM25's idf already weighs down lines that repeat across the collection.
        """
        from .search import CollectionSearch

        options = {name: value for name, value in vectorizer.get_params(deep=False).items() if name in _COUNT_PARAMS}
        # A term in a single article is what finds that article: no min_df, max_df or max_features here.
        options.update(min_df=1, max_df=1.0, max_features=None, vocabulary=None, dtype=np.float64)
        if isinstance(options.get("analyzer"), Analyzer):
            # Stop words indexed too, as Lucene's StandardAnalyzer does since 8.0: BM25's idf weighs
            # them down, and "more than expected", "you", "few" can tell a headline's article.
            # No phrase stage: a query's word must find the articles where it is part of a name.
            options["analyzer"] = clone(options["analyzer"]).set_params(stop_words=None, phrases=False)
        counter = CountVectorizer(**options)
        # the languages identified once in fit: the analyzer does not identify them again
        counts = counter.fit_transform(docs, languages=languages)
        return CollectionSearch(counter, counts, languages)

    def _query_texts(self, texts: Any, language: Any) -> tuple[list[str], str | None]:
        if isinstance(texts, str):
            raise InvalidTypeError("texts must be a collection of str; for one text, pass [text]")
        check_is_fitted(self, "vectors_")
        docs, _ = _documents_and_ids(texts, None)
        if language is not None and not isinstance(language, str):
            raise InvalidTypeError(f"language must be a str or None, got {type(language).__name__} {language!r}")
        return docs, None if language in (None, "auto") else language

    def _query_terms(self, texts: Any, language: str | None) -> list[Any]:
        docs, language = self._query_texts(texts, language)
        return [self.search_.terms(doc, language) for doc in docs]

    def query(self, texts: Any, k: int = 10, *, language: str | None = None,
              scorer: str = "auto") -> tuple[np.ndarray, np.ndarray]:
        """The k fitted documents that best match each new text.

        The ranking rule: a *short* text (at most
        :data:`~themescope.search.SHORT_QUERY_WORDS` words, split at white
        space: a few words, a name, a headline) is ranked by BM25 (Lucene's
        formula, k1=1.2, b=0.75) over every word of the articles as given
        (boilerplate and stop words included: BM25's idf weighs them down); a
        longer one (an excerpt, an article) by cosine similarity with
        ``vectors_``, as :meth:`similar` compares articles. A text too short
        to identify its language is analyzed in the collection's languages
        (see :mod:`themescope.search`).

        Only documents that share a term with the text are returned: a row
        with fewer than k of them ends with index ``-1`` and score ``NaN``, and
        a text that shares no term with any document (all ``-1``) is named in a
        warning.

        Parameters
        ----------
        texts : list of str or pandas Series
            The queries.
        k : int, default=10
        language : str, optional
            Analyze the queries in this language (ISO 639-1) instead of
            guessing; BM25 only.
        scorer : {"auto", "bm25", "cosine"}, default="auto"
            Force one ranking for every text.

        Returns
        -------
        indices : ndarray of int64, shape (n_texts, k)
            Rows of the fitted corpus (``ids_[indices]`` for their ids), ``-1`` for none.
        scores : ndarray of float64, shape (n_texts, k)
            BM25 scores or cosines (> 0), ``NaN`` for none.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> excerpt = articles.data[2][:600]   # where does this passage come from?
        >>> indices, scores = ex.query([excerpt], k=1)
        >>> ex.ids_[indices[0, 0]]
        '002'
        >>> indices, scores = ex.query(["Chine"], k=1)
        >>> ex.ids_[indices[0, 0]], bool(scores[0, 0] > 0)
        ('003', True)
        """
        if scorer not in ("auto", "bm25", "cosine"):
            raise InvalidValueError(f"scorer must be 'auto', 'bm25' or 'cosine', got {scorer!r}")
        docs, language = self._query_texts(texts, language)
        k = self._check_k(k, self.n_documents_)
        from .search import SHORT_QUERY_WORDS

        short = np.array([scorer == "bm25" or (scorer == "auto" and len(doc.split()) <= SHORT_QUERY_WORDS)
                          for doc in docs], dtype=bool)
        indices = np.full((len(docs), k), -1, dtype=np.int64)
        scores = np.full((len(docs), k), np.nan)
        if short.any():
            rows = np.flatnonzero(short)
            # Languages identified natively for the whole batch, on every core.
            detected = detect_languages([docs[i] for i in rows]) if language is None else [None] * len(rows)
            queries = [self.search_.terms(docs[i], language, found) for i, found in zip(rows, detected)]
            indices[rows], scores[rows] = self.search_.rank(queries, k)
        if not short.all():
            from .similarity import top_k_similar

            rows = np.flatnonzero(~short)
            vectors = self.transform([docs[i] for i in rows])
            # Only documents sharing a feature: the smallest positive score is the threshold.
            indices[rows], scores[rows] = top_k_similar(self.vectors_, k=k, Y=vectors, exclude_self=False,
                                                        threshold=float(np.nextafter(0.0, 1.0)))
        for row in np.flatnonzero(indices[:, 0] < 0):
            warnings.warn(f"no article shares a term with the query {docs[row]!r}", stacklevel=2)
        return indices, scores

    def search(self, text: str, k: int = 10, *, language: str | None = None) -> pd.DataFrame:
        """The articles matching one query, best first, with the terms that matched.

        The ranking of :meth:`query` (BM25 for a few words, cosine for an article).

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``index``, ``id``, ``score``, ``language`` and
            ``matched`` (the query's words that matched, by contribution);
            no rows, and a warning, when no article shares a term with the query.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> ex.search("cyberattaques russes", k=1)[["id", "matched"]].values.tolist()
        [['004', 'russes, cyberattaques']]
        """
        if not isinstance(text, str):
            raise InvalidTypeError(f"text must be a str, got {type(text).__name__}")
        k = min(_check_int("k", k, 1), self.n_documents_)  # "the 10 best" of a smaller corpus: all it has
        indices, scores = self.query([text], k=k, language=language)
        keep = indices[0] >= 0
        rows, values = indices[0][keep], scores[0][keep]
        terms = self._query_terms([text], language)[0]
        matched = [", ".join(dict.fromkeys(self.search_.explain(terms, int(r))["query_words"])) for r in rows]
        return self._ranking(rows, values, matched=matched)

    def explain_match(self, query: str, id_or_index: Any, *, language: str | None = None) -> pd.DataFrame:
        """Why a document matches a short query: each matching term's share of its BM25 score.

        Returns
        -------
        pandas.DataFrame
            One row per query term the document holds, largest contribution
            first: ``term`` (as the index shows it), ``query_words`` (as the
            query has it, case folded), ``query_weight`` (how many query words
            give the term), ``document_weight`` (its BM25 weight in the
            document) and ``contribution`` (their product); the contributions
            sum to the document's BM25 score. No rows: nothing shared.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> match = ex.explain_match("Quad summit cybersecurity", "002")
        >>> match[["query_words", "contribution"]].round(2).values.tolist()
        [['quad', 0.97], ['cybersecurity', 0.24]]
        """
        if not isinstance(query, str):
            raise InvalidTypeError(f"query must be a str, got {type(query).__name__}")
        row = self.position(id_or_index)
        terms = self._query_terms([query], language)[0]
        return self.search_.explain(terms, row)

    def duplicates(self, threshold: float = 0.9) -> pd.DataFrame:
        """Groups of near-duplicate documents (the same story, copied or lightly edited).

        Two documents are linked when their cosine similarity is at least
        ``threshold``; a group is a connected set of links.

        Returns
        -------
        pandas.DataFrame
            One row per document in a group, by group then index: ``group``
            (numbered in order of each group's first document), ``index``, ``id`` and ``similarity``
            (its best similarity with another member), with ``title`` after
            ``id`` when the corpus has titles. Empty when there are none.
            ``df.groupby("group")["id"].agg(list)`` gives the groups as lists.
        """
        check_is_fitted(self, "vectors_")
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 < threshold <= 1:
            raise InvalidValueError(f"threshold must be a number in (0, 1], got {threshold!r}")
        from scipy.sparse.csgraph import connected_components

        from .similarity import top_k_similar

        n = self.n_documents_
        # A group bigger than k + 1 stays connected: each member links to k others in it.
        k = min(n - 1, 10)
        cached = self.__dict__.get("_neighbors")
        if cached is not None and cached[0] >= k:
            # the exact top k of neighbors(): what the threshold keeps of it is the thresholded top k
            indices, scores = cached[1][:, :k].copy(), cached[2][:, :k]
            indices[~(scores >= threshold)] = -1
        else:
            indices, scores = top_k_similar(self.vectors_, k=k, threshold=float(threshold))
        rows = np.repeat(np.arange(n), indices.shape[1])
        cols = indices.ravel()
        linked = cols >= 0
        rows, cols, weights = rows[linked], cols[linked], scores.ravel()[linked]
        graph = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        _, component = connected_components(graph, directed=True, connection="weak")
        best = np.zeros(n)
        np.maximum.at(best, rows, weights)
        np.maximum.at(best, cols, weights)
        sizes = np.bincount(component)
        members = np.flatnonzero(sizes[component] > 1)
        groups = _renumber_first_seen(component[members])
        by_group = np.lexsort((members, groups))
        members, groups = members[by_group], groups[by_group]
        from .metadata import titles_of

        titles = titles_of(self.__dict__.get("metadata_"), members)
        return pd.DataFrame({
            "group": groups,
            "index": members.astype(np.int64),
            "id": self.ids_[members],
            **({"title": titles} if titles is not None else {}),
            "similarity": best[members],
        })

    # ---- clusters and themes ----
    def cluster(self, n_clusters: int | str = "auto", method: str = "kmeans") -> Clustering:
        """Cluster the documents, and find each cluster's themes.

        Both methods work on the L2-normalised LSA vectors (``lsa_``):
        ``"kmeans"`` is spherical k-means (:class:`~themescope.SphericalKMeans`,
        cosine), ``"agglomerative"`` is Ward's linkage
        (:func:`scipy.cluster.hierarchy.linkage`) cut into ``n_clusters``.

        Parameters
        ----------
        n_clusters : int or "auto", default="auto"
            ``"auto"`` picks it with :func:`themescope.choose_n_clusters`
            (candidates 2..20, at most n_documents - 1).
        method : {"kmeans", "agglomerative"}, default="kmeans"

        Returns
        -------
        Clustering
            Also kept as ``clusters_``.

        Examples
        --------
        >>> import themescope as ts
        >>> ex = ts.Explorer().fit(ts.datasets.load_sample_articles().data)
        >>> result = ex.cluster(2)
        >>> result.labels_.shape, int(result.sizes_.sum())
        ((5,), 5)
        """
        check_is_fitted(self, "vectors_")
        if method not in _METHODS:
            raise InvalidValueError(f"method must be one of {list(_METHODS)}, got {method!r}")
        n = self.n_documents_
        curve = None
        auto = isinstance(n_clusters, str)
        if auto:
            if n_clusters != "auto":
                raise InvalidValueError(f"n_clusters must be an int or 'auto', got {n_clusters!r}")
            if n < 3:
                raise InvalidValueError(f"n_clusters='auto' needs at least 3 documents, got {n}")
        else:
            n_clusters = _check_int("n_clusters", n_clusters, 1, n, f" (the corpus has {n} documents)")
        linkage = None
        if method == "kmeans":
            from .cluster import SphericalKMeans

            model = SphericalKMeans(n_clusters, random_state=self._seed()).fit(self.lsa_)
            labels = model.labels_
            curve = model.n_clusters_curve_
        else:
            if n > MAX_AGGLOMERATIVE_DOCUMENTS:
                raise InvalidValueError(
                    f"method='agglomerative' needs all n(n-1)/2 distances: {n} documents is more than "
                    f"{MAX_AGGLOMERATIVE_DOCUMENTS}; use method='kmeans'"
                )
            if auto:
                from .cluster import choose_n_clusters

                n_clusters, curve = choose_n_clusters(
                    self.lsa_, candidates=range(2, min(20, n - 1) + 1), random_state=self._seed()
                )
            from scipy.cluster import hierarchy
            linkage = hierarchy.linkage(self.lsa_, method="ward")
            labels = hierarchy.fcluster(linkage, t=n_clusters, criterion="maxclust")
        result = Clustering(self, np.asarray(labels), method, curve=curve, linkage=linkage)
        self.clusters_ = result
        return result

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """Each document's n key terms: its words and phrases by TF-IDF, the headline's weighted up.

        The terms are scored apart from ``vectors_`` (see :mod:`themescope._keyterms`):
        every word of the search index (``search_``, ``min_df=1``: a name only
        this article has is one of its key terms) and the vectorizer's phrases,
        each ``(1 + ln tf) · idf``, times 5 when the article's headline (the
        ``title`` of ``metadata_``, else its first line, ``headlines_``) holds
        it. Stop words and ``function_terms_``
        ("said", "also", "selon"...) are left out: they are not what an article
        is about; a word that a phrase above it holds is shown once, in the phrase.

        Returns
        -------
        pandas.DataFrame
            Columns ``document`` (id), ``rank`` (1 is the best), ``term``
            (readable form) and ``weight`` (the score above); ties by term order
            (the search index's words, then the phrases).

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> top = ex.top_terms(n=3)
        >>> top[top["document"] == "002"]["rank"].tolist()
        [1, 2, 3]
        """
        check_is_fitted(self, "vectors_")
        n = _check_int("n", n, 1)
        X, forms, forms_by_language = self._key_terms()
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        # by row, then weight down, then column (two stable sorts: a row's columns are in order)
        order = np.argsort(-X.data, kind="stable")
        order = order[np.argsort(rows[order], kind="stable")]
        rank = np.arange(len(order)) - X.indptr[rows[order]]
        keep = order[rank < n]
        table = pd.DataFrame({
            "document": self.ids_[rows[keep]],
            "rank": rank[rank < n].astype(np.int64) + 1,
            "term": self._display_names(X.indices[keep], self.languages_[rows[keep]], forms, forms_by_language),
            "weight": X.data[keep].astype(np.float64),
        })
        from .metadata import titles_of

        titles = titles_of(self.__dict__.get("metadata_"), rows[keep])
        if titles is not None:  # the article as a person knows it
            table.insert(1, "title", titles)
        return table

    def map2d(self, clusters: Clustering | None = None) -> pd.DataFrame:
        """Coordinates of every document on a 2-D map, with its cluster.

        The map is the first two principal components of the LSA vectors
        (``lsa_``): deterministic, and distances keep the topics apart.

        Parameters
        ----------
        clusters : Clustering, optional
            Whose labels fill ``cluster``; default ``clusters_`` (the latest
            :meth:`cluster`), else a fresh ``cluster()``.

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``x``, ``y``, ``cluster``.
        """
        check_is_fitted(self, "vectors_")
        if clusters is None:
            clusters = self._latest_clusters()
        xy = self._map_coordinates()
        return pd.DataFrame({"id": self.ids_, "x": xy[:, 0], "y": xy[:, 1], "cluster": clusters.labels_})

    def _latest_clusters(self) -> Clustering:
        """The latest :meth:`cluster` result (``clusters_``), else a fresh ``cluster()``: the
        default of every figure and table that colours documents by cluster."""
        existing: Clustering | None = self.__dict__.get("clusters_")
        return existing if existing is not None else self.cluster()

    def _map_coordinates(self) -> np.ndarray:
        cached = self.__dict__.get("_map_xy")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        lsa = self.lsa_
        dims = min(2, lsa.shape[1], lsa.shape[0])
        xy = np.zeros((lsa.shape[0], 2))
        # PCA(dims, svd_solver="full").fit_transform(lsa), written out: importing
        # sklearn.decomposition cost more than the SVD of this n x 50 matrix.
        from scipy import linalg
        from sklearn.utils.extmath import svd_flip

        U, S, Vt = linalg.svd(lsa - lsa.mean(axis=0), full_matrices=False)
        U, Vt = svd_flip(U, Vt, u_based_decision=False)
        xy[:, :dims] = U[:, :dims] * S[:dims]
        self.__dict__["_map_xy"] = xy
        return xy

    # ---- themes found by a question ----
    def find_themes(self, text: str, k: int = 5, *, clusters: Clustering | None = None,
                    language: str | None = None) -> pd.DataFrame:
        """The clusters closest to a question, in free text, best first.

        The question is vectorized as an article would be (:meth:`transform`;
        a question too short to tell its language is read in each of the
        collection's main languages) and compared by cosine with each
        cluster's centroid in ``vectors_``.
        The cross-language features take part (the cognate keys with ``"keys"``,
        all of them with ``cross_language=True``), so a question in one
        language finds clusters in another.

        Parameters
        ----------
        text : str
            The question ("manifestations contre la taxe sur le carburant").
        k : int, default=5
            At most this many clusters (fewer if fewer share a term with it).
        clusters : Clustering, optional
            Default: ``clusters_`` (the latest :meth:`cluster`), else a fresh ``cluster()``.
        language : str, optional
            The question's language (ISO 639-1); default: identified.

        Returns
        -------
        pandas.DataFrame
            Columns ``rank``, ``cluster``, ``name``, ``score`` (cosine > 0),
            ``size``, ``themes`` (five top terms) and ``example`` (the most
            representative article's title, else its id). No rows, and a
            warning, when no cluster shares a term with the question.

        Raises
        ------
        ValueError
            An empty question.

        Examples
        --------
        >>> import themescope as ts
        >>> articles = ts.datasets.load_sample_articles()
        >>> ex = ts.Explorer().fit(articles.data, ids=articles.ids)
        >>> clusters = ex.cluster(2)
        >>> best = ex.find_themes("attaques informatiques russes", k=1)
        >>> "004" in clusters.documents(int(best["cluster"].iloc[0]))["id"].tolist()
        True
        """
        check_is_fitted(self, "vectors_")
        from .shaping import find_themes

        return find_themes(self, text, k, clusters, language)

    # ---- display ----
    def _key_terms(self) -> tuple[sp.csr_array, np.ndarray, dict[str, dict[int, str]]]:
        """key_term_scores of the collection, made once per fit or add: top_terms and each
        cluster's documents (Clustering.documents) read it."""
        cached = self.__dict__.get("_key_term_scores")
        if cached is None:
            cached = key_term_scores(self)
            self.__dict__["_key_term_scores"] = cached
        return cached

    def _display_names(self, columns: Any, languages: Any, forms: Any = None,
                       forms_by_language: dict[str, dict[int, str]] | None = None) -> np.ndarray:
        """The display forms of term ``columns``, each as the documents of its
        language (``languages``: one code per column, or one for all; None: the
        corpus-wide form) write it most often: an English article's terms read in
        English, a French one's in French (``get_feature_names_out(display=True,
        language=...)``); a term its language never uses keeps the corpus-wide form.
        The columns are the vectorizer's, or those of ``forms`` (corpus-wide) and
        ``forms_by_language`` (the columns whose form differs, per language)."""
        columns = np.asarray(columns, dtype=np.int64)
        names: np.ndarray = np.array((self.feature_names_ if forms is None else forms)[columns], dtype=object)
        # none in an Explorer fitted before display forms were chosen per language
        by_language = (self.vectorizer_.__dict__.get("feature_display_names_by_language_", {})
                       if forms_by_language is None else forms_by_language)
        languages = np.broadcast_to(np.asarray(languages, dtype=object), columns.shape)
        for language, own in by_language.items():
            chosen = np.flatnonzero(languages == language)
            if not own or not len(chosen):
                continue
            own_columns = np.fromiter(own.keys(), dtype=np.int64, count=len(own))
            order = np.argsort(own_columns)
            own_columns = own_columns[order]
            own_forms = np.asarray(list(own.values()), dtype=object)[order]
            at = np.minimum(np.searchsorted(own_columns, columns[chosen]), len(own_columns) - 1)
            found = own_columns[at] == columns[chosen]
            names[chosen[found]] = own_forms[at[found]]
        return names

    def _group_languages(self, rows: Any, columns: Any) -> np.ndarray:
        """Per term column, the language a group of documents (a cluster) shows it in:
        the language whose documents among ``rows`` use it most, then the one with
        more of them, then the smaller code. A one-language group shows its language."""
        languages = self.languages_[np.asarray(rows, dtype=np.int64)].astype(str)
        present, n_documents = np.unique(languages, return_counts=True)
        columns = np.asarray(columns, dtype=np.int64)
        if len(present) == 1:
            return np.full(len(columns), present[0], dtype=object)
        counts = sp.csr_array(self.counts_[np.asarray(rows, dtype=np.int64)])[:, columns].toarray()
        uses = np.stack([counts[languages == language].sum(axis=0) for language in present]).astype(np.int64)
        score = uses * (int(n_documents.max()) + 1) + n_documents[:, None]  # argmax: ties keep the smaller code
        return np.asarray(present[np.argmax(score, axis=0)], dtype=object)

    def _params_repr(self) -> str:
        return str(super().__repr__())

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        """scikit-learn's repr, then what a fitted explorer holds, on one line."""
        text = str(super().__repr__(N_CHAR_MAX))
        if "vectors_" not in self.__dict__:
            return text
        from .shaping import explorer_facts

        facts = dict(explorer_facts(self))
        shown = [f"{facts['documents']} documents", facts["languages"]]
        if "dates" in facts:
            shown.append(facts["dates"])
        return f"{text}  # fitted: " + "; ".join(shown)

    def _repr_html_(self) -> str:
        if "vectors_" not in self.__dict__:
            return str(super()._repr_html_inner())  # scikit-learn's diagram of the parameters
        from .shaping import explorer_html

        return explorer_html(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}

    # ---- figures ----
    def plot_similarity(self, clusters: Clustering | None = None, *, interactive: bool = False,
                        **kwargs: Any) -> Any:
        """Heatmap of similarities, ordered by cluster (see :func:`themescope.plotting.similarity_heatmap`).

        ``interactive=True``: a plotly figure instead, hover a cell for its two
        articles (see :func:`themescope.interactive.similarity_figure`).
        """
        if interactive:
            from .interactive import similarity_figure

            return similarity_figure(self, clusters, **kwargs)
        from .plotting import similarity_heatmap

        return similarity_heatmap(self, clusters, **kwargs)

    def plot_map(self, clusters: Clustering | None = None, *, interactive: bool = False, **kwargs: Any) -> Any:
        """The 2-D map coloured by cluster (see :func:`themescope.plotting.cluster_map`).

        ``interactive=True``: a plotly figure instead, hover a dot for its
        title, cluster and top terms, colour by any grouping metadata column
        (see :func:`themescope.interactive.map_figure`).
        """
        if interactive:
            from .interactive import map_figure

            return map_figure(self, clusters, **kwargs)
        from .plotting import cluster_map

        return cluster_map(self, clusters, **kwargs)


def _renumber_first_seen(values: np.ndarray) -> np.ndarray:
    """0, 1, 2… in order of first appearance."""
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.ravel()]
