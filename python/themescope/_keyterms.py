"""Each article's key terms, as :meth:`themescope.Explorer.top_terms` ranks them.

The Explorer's vectors keep the terms of at least two articles (``min_df=2``: a term of
one article links it to no other), but a story's key terms are often its own: the name,
place or thing no other article mentions. So the top terms are scored from their own
statistics, apart from ``vectors_`` (neighbours and clusters do not move):

- **words**: the search index's counts (``Explorer.search_``: every word of every article,
  ``min_df=1``) less those of the lines boilerplate removal took, weighted
  ``(1 + ln tf) · idf`` with scikit-learn's smooth idf ``ln((1 + n) / (1 + df)) + 1``
  over the collection; stop words of the article's
  language and news function words (:mod:`themescope._themes`) left out;
- **phrases** ("capsule Dragon", "premier ministre", names): the vectorizer's phrases
  beside their words, weighted the same way from ``counts_``; a word that a phrase above
  it holds is shown once, in the phrase (:func:`themescope.phrases.hide_covered_words_sparse`);
- **the headline**: the terms of an article's headline (the title its metadata gives, else
  its first non-empty line: where a news story names what it is about) weigh
  :data:`HEADLINE_FACTOR` times as much. The
  position of a term's first occurrence is what published keyphrase extractors weigh
  (KP-Miner, YAKE); the headline is its coarsest and most robust form.

:data:`HEADLINE_FACTOR` was chosen on the first 50 of the 100 French Wikinews articles of
``benchmarks/eval_keyphrases.py`` (the eval prints both halves and the whole).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from ._themes import function_term_mask
from .analysis import Analyzer
from .lexicon import stop_words
from .phrases import hide_covered_words_sparse
from .text import _names_in_column_order

__all__ = ["HEADLINE_FACTOR", "boilerplate_counts", "headlines", "key_term_scores"]

# How many times a term of the headline weighs: of 1, 2, 3, 4 and 5, the best on the first 50
# Wikinews articles of benchmarks/eval_keyphrases.py (the eval prints the choice and the held-out half).
HEADLINE_FACTOR = 5.0


def headlines(texts: Any) -> np.ndarray:
    """Each text's first non-empty line, stripped ("" for a text without one), as an object array.

    Examples
    --------
    >>> from themescope._keyterms import headlines
    >>> headlines(["\\n  Quad summit \\nBody", "", "One line"]).tolist()
    ['Quad summit', '', 'One line']
    """
    firsts = []
    for text in texts:
        first = ""
        for line in str(text).splitlines():
            if line.strip():
                first = line.strip()
                break
        firsts.append(first)
    return np.asarray(firsts, dtype=object)


def _smooth_idf(counts: sp.csr_array) -> np.ndarray:
    """scikit-learn's smooth idf of each column: ln((1 + n) / (1 + df)) + 1."""
    n_documents = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf: np.ndarray = np.log((1.0 + n_documents) / (1.0 + df)) + 1.0
    return idf


def _weighted(counts: sp.csr_array, in_headline: sp.csr_array) -> sp.csr_array:
    """(1 + ln tf) · idf of each stored count, times HEADLINE_FACTOR where the headline holds the term."""
    X = sp.csr_array(counts, dtype=np.float64, copy=True)
    X.sum_duplicates()
    X.data = (1.0 + np.log(X.data)) * _smooth_idf(X)[X.indices]
    headline = sp.csr_array(in_headline, dtype=np.float64, copy=True)
    headline.data[:] = 1.0
    # X + (factor - 1) X∘headline: one pass over X, the product only over the headline's few terms
    return sp.csr_array(X + (HEADLINE_FACTOR - 1.0) * X.multiply(headline))


def _stop_terms(counter: Any, languages: Any) -> dict[str, set[str]]:
    """Per language of the collection, the terms the counter's analyzer makes of its stop words
    (matched as it analyzes); a language without a stop list ("und") is left out."""
    analyzer = counter.analyzer
    found: dict[str, set[str]] = {}
    if not isinstance(analyzer, Analyzer):
        return found
    for language in sorted(set(map(str, languages))):
        try:
            words = stop_words(language)
        except ValueError:  # a language without a stop list ("und")
            continue
        single = clone(analyzer).set_params(language=language, stop_words=None, phrases=False)
        terms: set[str] = set()
        for word in sorted(words):
            terms.update(single(word))
        found[language] = terms
    return found


def _drop_stop_words(X: sp.csr_array, vocabulary: dict[str, int], stop: dict[str, set[str]],
                     languages: np.ndarray) -> None:
    """Zero, in place, each row's stop words of its own language, as the analyzer drops them from
    the vectors: an English article keeps "son" and "pas", a French one "will". A row of a language
    without a stop list loses those of every language of the collection."""
    if not stop:
        return
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    every = sorted(set().union(*stop.values()))
    for language in np.unique(languages).tolist():
        words = sorted(stop[language]) if language in stop else every
        columns = [vocabulary[word] for word in words if word in vocabulary]
        is_stop = np.zeros(X.shape[1], dtype=bool)
        is_stop[np.asarray(columns, dtype=np.int64)] = True
        X.data[(languages[rows] == language) & is_stop[X.indices]] = 0.0


def _search_counts(search: Any, texts: list[str], languages: Any, n_terms: int) -> sp.csr_array:
    """The counts of these texts' words, analyzed as the search index analyzes (its analyzer on these
    texts alone), in the index's columns (which Explorer.add grows beyond the fitted counter's)."""
    local = clone(search.counter)
    try:
        found = sp.csr_array(local.fit_transform(texts, languages=list(languages)), dtype=np.float64)
    except ValueError as error:
        if "empty vocabulary" not in str(error):
            raise
        return sp.csr_array((len(texts), n_terms), dtype=np.float64)  # no text has a word
    columns = np.asarray([search.vocabulary.get(term, -1) for term in local.get_feature_names_out().tolist()],
                         dtype=np.int64)
    found.data[columns[found.indices] < 0] = 0.0  # not indexed (cannot happen: the index holds every word)
    placed = sp.csr_array((found.data, np.maximum(columns[found.indices], 0), found.indptr),
                          shape=(len(texts), n_terms))
    placed.sum_duplicates()
    placed.eliminate_zeros()
    return placed


def boilerplate_counts(search: Any, remover: Any, languages: Any) -> sp.csr_array:
    """Per document of the remover's last transform, the search index's counts of the lines it took.

    The search index counts the articles as given, boilerplate included (a search finds any
    word a reader sees); top terms count what is left: these counts are taken off.
    """
    n_documents, n_terms = len(languages), len(search.vocabulary)
    report = None if remover is None else remover.__dict__.get("report_")
    if report is None or not len(report):
        return sp.csr_array((n_documents, n_terms), dtype=np.float64)
    removed = [""] * n_documents
    for document, text in zip(report["document"].tolist(), report["text"].tolist()):
        removed[int(document)] += str(text) + "\n"
    return _search_counts(search, removed, languages, n_terms)


def _word_rows(explorer: Any, languages: Any, titles: np.ndarray) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """The words' scores (documents × terms), stop words, function words and phrases zeroed; their terms
    and display forms. The search index's words (min_df=1); the vectorizer's for an index saved without
    its counts by an earlier themescope."""
    search = explorer.search_
    if search.__dict__.get("term_counts") is not None:
        weights = search.index.weights_
        counts = sp.csr_array((search.term_counts.astype(np.float64), weights.indices, weights.indptr),
                              shape=weights.shape)
        terms = _names_in_column_order(search.vocabulary)
        display = np.asarray(search.display_names, dtype=object).copy()
        removed = explorer.__dict__.get("boilerplate_counts_")
        if removed is not None and removed.shape[0] == counts.shape[0]:
            removed = sp.csr_array(removed, copy=True)
            removed.resize(counts.shape)
            counts = sp.csr_array(counts - removed)  # what boilerplate removal left
            counts.data = np.maximum(counts.data, 0.0)
            counts.eliminate_zeros()
        in_headline = _search_counts(search, list(titles), languages, counts.shape[1])
        counter = search.counter
    else:
        counter = explorer.vectorizer_
        counts = sp.csr_array(explorer.counts_)
        terms = _names_in_column_order(counter.vocabulary_)
        display = np.asarray(explorer.feature_names_, dtype=object).copy()
        in_headline = sp.csr_array(counter.transform(list(titles), languages=list(languages)))
    X = _weighted(counts, in_headline)
    left_out = np.fromiter((" " in term for term in terms.tolist()), dtype=bool, count=len(terms))
    # every column, those Explorer.add grew beyond the fitted counter's too
    left_out |= function_term_mask(counter, languages, terms)
    X.data[left_out[X.indices]] = 0.0
    vocabulary = search.vocabulary if counter is search.counter else counter.vocabulary_
    _drop_stop_words(X, vocabulary, _stop_terms(counter, languages), np.asarray(languages, dtype=object).astype(str))
    X.eliminate_zeros()
    return X, terms, display


def _phrase_rows(vectorizer: Any, counts: Any, function_terms: np.ndarray, languages: Any,
                 titles: np.ndarray) -> tuple[sp.csr_array, np.ndarray]:
    """The phrases' scores (documents × the vectorizer's phrases) and their columns in the vectorizer."""
    names = vectorizer.get_feature_names_out()
    is_phrase = np.fromiter((" " in str(name) for name in names), dtype=bool, count=len(names))
    columns = np.flatnonzero(is_phrase & ~function_terms)
    phrase_counts = sp.csr_array(counts)[:, columns]
    in_headline = sp.csr_array(vectorizer.transform(list(titles), languages=list(languages)))[:, columns]
    return _weighted(sp.csr_array(phrase_counts), in_headline), columns


def _headline_texts(explorer: Any) -> np.ndarray:
    """Each article's headline: the title its metadata gives (a table's or a page's), else its
    first line (``headlines_``; none for an explorer saved before headlines_ existed)."""
    n_documents = explorer.n_documents_
    found = explorer.__dict__.get("headlines_")
    if found is None or len(found) != n_documents:
        found = np.asarray([""] * n_documents, dtype=object)
    metadata = explorer.__dict__.get("metadata_")
    if metadata is None or "title" not in metadata.columns or len(metadata) != n_documents:
        return np.asarray(found, dtype=object)
    given = metadata["title"].tolist()
    return np.asarray([title.strip() if isinstance(title, str) and title.strip() else first
                       for title, first in zip(given, found)], dtype=object)


def _forms_by_language(explorer: Any, word_terms: np.ndarray, columns: np.ndarray) -> dict[str, dict[int, str]]:
    """Per language, the key-term columns whose display form differs there from the corpus-wide one
    (see Explorer._display_names): a word the vectorizer has takes the vectorizer's form in that
    language (as its corpus-wide form is the vectorizer's), another word the search counter's, a
    phrase the vectorizer's."""
    vectorizer = explorer.vectorizer_
    own = vectorizer.__dict__.get("feature_display_names_by_language_", {})
    search_own = explorer.search_.counter.__dict__.get("feature_display_names_by_language_", {})
    if not own and not search_own:
        return {}  # one language, or fitted before display forms were chosen per language
    vocabulary = vectorizer.vocabulary_
    # each vectorizer column's key-term column: the words' (by term), then the phrases'
    key_column = {vocabulary[term]: position for position, term in enumerate(word_terms.tolist())
                  if term in vocabulary}
    key_column.update((int(column), len(word_terms) + i) for i, column in enumerate(columns.tolist()))
    in_vectorizer = {position for position in key_column.values() if position < len(word_terms)}
    result: dict[str, dict[int, str]] = {}
    for language in sorted(set(own) | set(search_own)):
        forms = {int(column): form for column, form in search_own.get(language, {}).items()
                 if int(column) < len(word_terms) and int(column) not in in_vectorizer}
        forms.update((key_column[int(column)], form) for column, form in own.get(language, {}).items()
                     if int(column) in key_column)
        result[language] = forms
    return result


def key_term_scores(explorer: Any) -> tuple[sp.csr_array, np.ndarray, dict[str, dict[int, str]]]:
    """(scores: documents × terms, each term's display form, the forms per language that differ)
    of a fitted Explorer's key terms.

    The terms are the search index's words then the vectorizer's phrases; a word shown in a
    phrase above it is left out of that row. None of it changes the explorer.
    """
    languages = np.asarray(explorer.languages_, dtype=object).astype(str)
    titles = _headline_texts(explorer)
    words, word_terms, display = _word_rows(explorer, languages, titles)
    vectorizer = explorer.vectorizer_
    phrases, columns = _phrase_rows(vectorizer, explorer.counts_, explorer.function_terms_, languages, titles)
    vocabulary = vectorizer.vocabulary_
    names = explorer.feature_names_
    for position, term in enumerate(word_terms.tolist()):
        column = vocabulary.get(term)
        if column is not None:  # the Explorer's own display form where its vectorizer has the word
            display[position] = names[column]
    terms = np.concatenate([word_terms, _names_in_column_order(vocabulary)[columns]])
    X = sp.csr_array(sp.hstack([words, phrases], format="csr"))
    X = hide_covered_words_sparse(X, terms)
    forms = np.concatenate([display, np.asarray(names[columns], dtype=object)])
    return X, forms, _forms_by_language(explorer, word_terms, columns)
