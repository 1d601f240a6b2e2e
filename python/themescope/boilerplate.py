"""Remove boilerplate (what is not the article) from scraped news texts.

Scraped articles carry sign-up blocks, comment forms, "related" and podcast
lists, share buttons, photo credits and cookie notices around the article.
:class:`BoilerplateRemover` removes them paragraph by paragraph, in the spirit
of jusText (Pomikálek, 2011): each paragraph is classified by its *shape* (how
long it is, how dense in stop words, whether it ends like a sentence, how much
of it is links, capitals or a "label:"), then its neighbours decide the
paragraphs that shape alone leaves open. On top of that, paragraphs repeated
within a document and lines that recur across many documents of the corpus are
removed. No list of phrases is involved, so it works in every language
:func:`themescope.stop_words` knows, and by shape alone in the others.

>>> import themescope as ts
>>> page = (
...     "Les ministres européens se sont réunis mardi à Bruxelles pour discuter de la "
...     "coopération en matière de cybersécurité et de la protection des réseaux.\\n"
...     "Partager\\nTweeter\\nImprimer\\n"
...     "Ils ont convenu de créer un centre commun chargé de coordonner la réponse aux "
...     "attaques informatiques visant les infrastructures critiques de l'Union.\\n"
...     "Plus d'articles\\nÀ la une\\nContact"
... )
>>> remover = ts.BoilerplateRemover()
>>> print(remover.fit_transform([page])[0])
Les ministres européens se sont réunis mardi à Bruxelles pour discuter de la coopération en matière de cybersécurité et de la protection des réseaux.
Ils ont convenu de créer un centre commun chargé de coordonner la réponse aux attaques informatiques visant les infrastructures critiques de l'Union.
>>> print(remover.report_[["line", "text", "reason"]].to_string(index=False))
 line            text    reason
    1        Partager short_run
    2         Tweeter short_run
    3        Imprimer short_run
    5 Plus d'articles short_run
    6        À la une short_run
    7         Contact short_run
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import _core
from .language import checked_language_codes, detect_languages
from .lexicon import STOP_WORD_LANGUAGES
from ._validation import check_documents, check_ids

__all__ = ["BoilerplateRemover"]

_REPORT_COLUMNS = ("document", "id", "line", "text", "reason", "language")
_THRESHOLDS = (
    "length_low", "length_high", "stopwords_low", "stopwords_high", "max_link_density", "max_short_run",
    "max_heading_distance", "max_removed_share",
)


def _documents(texts: object, ids: object) -> tuple[list[str], list[Any]]:
    """The documents as a list of str, and their ids (``ids``, a Series' index, or positions)."""
    index = list(texts.index) if isinstance(texts, pd.Series) else None
    docs = check_documents(texts)
    if ids is None:
        return docs, index if index is not None else list(range(len(docs)))
    return docs, check_ids(ids, len(docs))


class BoilerplateRemover(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):  # type: ignore[misc,call-arg]
    """Remove the paragraphs of scraped articles that are not the article.

    Each document is cut into paragraphs (non-blank lines; a line that goes on
    the unfinished sentence of the line before joins it), and each paragraph is
    judged, as in jusText, by its shape: length in words, density of stop words
    of the document's language (identified per document, see
    :func:`themescope.detect_language`), whether it ends like a sentence, its
    share of links, e-mail addresses, @handles and #hashtags, whether it is
    written in capitals or reads "Label: value". Long prose dense in stop words
    is *good*; prose of middling length or density is *near-good* and kept next
    to good text; short paragraphs are kept in short runs between good text
    (and, next to it, a sentence or a heading); the rest is removed. Paragraphs
    repeated within a document (a sign-up block printed twice, a list whose
    items repeat their title) and lines that recur across many documents of the
    corpus (a site's footer, gallery captions) are removed too, whatever their
    shape. No phrase list is used: it works in any language with a stop list
    (:data:`themescope.STOP_WORD_LANGUAGES`) and, with shape alone (length,
    capitals, sentence ends, repetition), in the others.

    Parameters
    ----------
    language : str, default="auto"
        ``"auto"`` identifies each document's language for its stop words;
        documents in a language without a stop list (or undetermined) are judged
        by shape alone. Or an ISO 639-1 code from
        :data:`themescope.STOP_WORD_LANGUAGES` used for every document.
    length_low : int, default=10
        Paragraphs shorter than this (in words) are *short*: kept only in short
        runs next to good text.
    length_high : int, default=35
        Paragraphs at least this long, dense in stop words and ending like a
        sentence are *good*; shorter prose is *near-good*.
    stopwords_low, stopwords_high : float, default=0.2, 0.3
        Stop-word density (share of words) below which a paragraph is not prose,
        and from which it is good prose.
    max_link_density : float, default=0.2
        Paragraphs with a larger share of link-like chunks are removed.
    max_short_run : int, default=3
        Longest run of short paragraphs kept whole between good paragraphs.
    max_heading_distance : int, default=200
        A short first paragraph that looks like a title is kept when good text
        starts within this many characters after it.
    corpus_min_documents : int, default=5
        A line is boilerplate of the corpus when it occurs in at least this many
        distinct documents seen by :meth:`fit` ...
    corpus_min_fraction : float, default=0.001
        ... and in at least this share of them.
    max_removed_share : float, default=0.1
        A document that is not laid out like a scraped web page is kept whole
        when removal would take more than this share of its words. Scraped
        pages put a whole paragraph on a line: most of their words are on
        lines over 100 characters. Text wrapped at a fixed width (manual
        pages, documentation sources, e-mail, plain-text reports) has almost
        none, and paragraphs that run over several lines; its headings,
        option lists and code would read as short runs of boilerplate. Such documents are listed in :attr:`kept_whole_`
        and a ``UserWarning`` says how many; ``1.0`` cleans every document.

    Attributes
    ----------
    recurring_lines_ : frozenset of str
        The lines (normalized: case folded, apostrophes and spaces unified)
        that recur across the documents seen by :meth:`fit`.
    corpus_threshold_ : int
        How many distinct documents a line had to occur in to be recurring.
    n_documents_ : int
        Number of documents seen by :meth:`fit`.
    kept_whole_ : pandas.DataFrame
        The documents the last :meth:`transform` kept whole
        (``max_removed_share``): ``document``, ``id`` and ``words``, how many
        words removal would have taken.
    report_ : pandas.DataFrame
        One row per line removed by the last :meth:`transform` (or
        :meth:`fit_transform`), in document and line order: ``document``
        (position in the input), ``id`` (from ``ids=``, else the index of a
        pandas Series, else the position), ``line`` (0-based, in
        ``text.split("\\n")``), ``text`` (the line as given), ``reason`` and
        ``language`` (the document's, given or identified; judged by shape
        alone when it has no stop list). Reasons:
        ``repeated_in_document``, ``repeated_across_corpus``, ``short_run``
        (a run of short paragraphs, or short sentences, away from good text),
        ``isolated`` (middling prose with no good text around it),
        ``few_stop_words`` (not prose), ``links``, ``capitals``, ``label``.

    See Also
    --------
    themescope.TfidfVectorizer : vectorize the cleaned texts.

    Notes
    -----
    Kept paragraphs are returned as given, with the blank lines between them;
    a document with nothing to remove comes back unchanged. Titles repeated
    across documents of a corpus (a site's name as first line) are removed as
    recurring lines, so fit on a corpus, not on one site's article at a time,
    for :meth:`transform` to know them. Recurrence is by exact line (case,
    spaces and apostrophes aside): a story syndicated unchanged to
    ``corpus_min_documents`` outlets or more would lose its shared paragraphs;
    exact duplicate documents count once.

    The work runs natively (``cpp/src/boilerplate.cpp``) on
    :func:`themescope.get_num_threads` threads with the GIL released, with the
    same result for any thread count; its plain-Python definition,
    ``themescope._boilerplate_reference``, is the oracle the tests compare it
    with line for line. Languages already identified (by
    :func:`themescope.detect_languages`, as :class:`themescope.Explorer` does
    once per document) can be given to :meth:`fit_transform` and
    :meth:`transform` as ``languages=``.

    Measured on BBC News (2,225 clean articles), 0.34% of words go (lists of
    fixtures and line-ups, a columnist's note); on the scraped gilets jaunes
    press corpus (3,112 articles, French and English), 0.79% (gallery captions,
    agency credits, "Read More", by-lines, tweets). A short last paragraph cut
    without final punctuation goes with the sign-up prompts it looks like.

    Examples
    --------
    A made-up German page: a cookie notice, the article, a sign-up block printed
    twice, a list of links.

    >>> import themescope as ts
    >>> page = "\\n".join([
    ...     "Cookies akzeptieren",
    ...     "Einstellungen",
    ...     "Neue Pflichten für die Betreiber der Netze",
    ...     "Die Regierung in Berlin hat am Dienstag ein neues Gesetz zum Schutz der "
    ...     "Netze vorgestellt, das die Betreiber kritischer Infrastrukturen zu mehr "
    ...     "Sicherheit verpflichten soll.",
    ...     "Jetzt anmelden",
    ...     "Unser Newsletter",
    ...     "Nach Angaben des Ministeriums sollen die Unternehmen Angriffe künftig "
    ...     "innerhalb von 24 Stunden melden, damit die Behörden schneller reagieren "
    ...     "können, wenn sich ein Angriff auf andere Betreiber ausbreitet.",
    ...     "Jetzt anmelden",
    ...     "Unser Newsletter",
    ...     "Mehr zum Thema",
    ...     "www.example.de/politik",
    ... ])
    >>> remover = ts.BoilerplateRemover()
    >>> clean = remover.fit_transform([page])
    >>> print(clean[0])
    Neue Pflichten für die Betreiber der Netze
    Die Regierung in Berlin hat am Dienstag ein neues Gesetz zum Schutz der Netze vorgestellt, das die Betreiber kritischer Infrastrukturen zu mehr Sicherheit verpflichten soll.
    Nach Angaben des Ministeriums sollen die Unternehmen Angriffe künftig innerhalb von 24 Stunden melden, damit die Behörden schneller reagieren können, wenn sich ein Angriff auf andere Betreiber ausbreitet.
    >>> print(remover.report_[["line", "reason", "text"]].to_string(index=False))
     line               reason                   text
        0            short_run    Cookies akzeptieren
        1            short_run          Einstellungen
        4 repeated_in_document         Jetzt anmelden
        5 repeated_in_document       Unser Newsletter
        7 repeated_in_document         Jetzt anmelden
        8 repeated_in_document       Unser Newsletter
        9                links         Mehr zum Thema
       10                links www.example.de/politik
    """

    def __init__(
        self,
        *,
        language: str = "auto",
        length_low: int = 10,
        length_high: int = 35,
        stopwords_low: float = 0.2,
        stopwords_high: float = 0.3,
        max_link_density: float = 0.2,
        max_short_run: int = 3,
        max_heading_distance: int = 200,
        corpus_min_documents: int = 5,
        corpus_min_fraction: float = 0.001,
        max_removed_share: float = 0.1,
    ) -> None:
        self.language = language
        self.length_low = length_low
        self.length_high = length_high
        self.stopwords_low = stopwords_low
        self.stopwords_high = stopwords_high
        self.max_link_density = max_link_density
        self.max_short_run = max_short_run
        self.max_heading_distance = max_heading_distance
        self.corpus_min_documents = corpus_min_documents
        self.corpus_min_fraction = corpus_min_fraction
        self.max_removed_share = max_removed_share

    def _check_params(self) -> None:
        for name in ("length_low", "length_high", "max_short_run", "max_heading_distance", "corpus_min_documents"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be a non-negative int, got {value!r}")
        for name in ("stopwords_low", "stopwords_high", "max_link_density", "corpus_min_fraction",
                     "max_removed_share"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not 0 <= value <= 1:
                raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
        if not isinstance(self.language, str):
            raise TypeError(f"language must be 'auto' or an ISO 639-1 code (str), got {type(self.language).__name__}")
        if self.language != "auto" and self.language not in STOP_WORD_LANGUAGES:
            raise ValueError(
                f"language must be 'auto' or one of the codes with a stop list "
                f"({', '.join(STOP_WORD_LANGUAGES)}), got {self.language!r}"
            )

    def _languages(self, docs: Sequence[str], languages: Iterable[str] | None) -> list[str]:
        """Each document's language: ``languages`` when given, else ``language`` or detected."""
        if languages is None:
            if self.language != "auto":
                return [self.language] * len(docs)
            return detect_languages(docs)
        return checked_language_codes(languages, len(docs))

    def _thresholds(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _THRESHOLDS}

    # The two kernels, native here; the plain-Python reference overrides them
    # (themescope._boilerplate_reference, the tests' oracle).
    def _recurring_lines(self, docs: list[str], min_documents: int) -> list[str]:
        return _core.boilerplate_recurring_lines(docs, min_documents)

    def _clean(
        self, docs: list[str], languages: list[str], recurring: frozenset[str]
    ) -> tuple[list[str], np.ndarray, np.ndarray, list[str], list[str], np.ndarray]:
        return _core.boilerplate_clean(docs, languages, recurring, **self._thresholds())

    def fit(self, texts: Iterable[str], y: object = None) -> BoilerplateRemover:
        """Learn the lines that recur across the documents.

        Parameters
        ----------
        texts : iterable of str
            The documents (a list, a pandas Series, a generator...).
        y : ignored

        Returns
        -------
        self

        Raises
        ------
        TypeError
            If ``texts`` is a single str, or a document is not a str (the
            message names its position).
        """
        self._check_params()
        docs, _ = _documents(texts, None)
        self._fit_docs(docs)
        return self

    def _fit_docs(self, docs: list[str]) -> None:
        threshold = max(self.corpus_min_documents, math.ceil(self.corpus_min_fraction * len(docs)), 2)
        self.n_documents_ = len(docs)
        self.corpus_threshold_ = threshold
        self.recurring_lines_ = frozenset(self._recurring_lines(docs, threshold))

    def transform(
        self, texts: Iterable[str], ids: Iterable[Any] | None = None, languages: Iterable[str] | None = None
    ) -> list[str]:
        """Remove the boilerplate paragraphs of each document.

        Parameters
        ----------
        texts : iterable of str
            The documents.
        ids : sequence, optional
            One id per document, for the ``id`` column of :attr:`report_`
            (default: the index of a pandas Series, else positions).
        languages : sequence of str, optional
            Each document's language code, when already known (say from
            :func:`themescope.detect_languages`): it is used instead of
            ``language``, and what :attr:`report_` shows. Codes without a stop
            list (``"und"``, ...) mean judging by shape alone.

        Returns
        -------
        list of str
            Each document without its boilerplate lines (unchanged when it has none).

        Raises
        ------
        TypeError
            If a document or a language is not a str (the message names its position).
        ValueError
            If ``ids`` or ``languages`` do not have one item per document.
        """
        check_is_fitted(self, "recurring_lines_")
        self._check_params()
        docs, doc_ids = _documents(texts, ids)
        return self._transform_docs(docs, doc_ids, self._languages(docs, languages))

    def fit_transform(
        self,
        texts: Iterable[str],
        y: object = None,
        *,
        ids: Iterable[Any] | None = None,
        languages: Iterable[str] | None = None,
        **fit_params: Any,
    ) -> list[str]:
        """Fit on ``texts`` then transform them (reading an iterator once).

        Parameters
        ----------
        texts : iterable of str
            The documents.
        y : ignored
        ids : sequence, optional
            One id per document, for :attr:`report_` (see :meth:`transform`).
        languages : sequence of str, optional
            Each document's language code, when already known (see :meth:`transform`).

        Returns
        -------
        list of str
            Each document without its boilerplate lines.
        """
        self._check_params()
        docs, doc_ids = _documents(texts, ids)
        codes = self._languages(docs, languages)
        self._fit_docs(docs)
        return self._transform_docs(docs, doc_ids, codes)

    def _transform_docs(self, docs: list[str], ids: list[Any], languages: list[str]) -> list[str]:
        out, document, line, text, reason, spared = self._clean(docs, languages, self.recurring_lines_)
        whole = np.flatnonzero(spared)
        self.kept_whole_ = pd.DataFrame({
            "document": whole.astype(np.int64),
            "id": pd.Series([ids[d] for d in whole.tolist()], dtype=object),
            "words": spared[whole].astype(np.int64),
        })
        if len(whole):
            warnings.warn(
                f"boilerplate removal would have taken more than {self.max_removed_share:.0%} of the words of "
                f"{len(whole)} of {len(docs)} documents not laid out like scraped web pages (text wrapped in "
                f"short lines: manual pages, documentation, e-mail), {int(spared.sum())} words in all: they are "
                f"kept whole (see kept_whole_). max_removed_share=1.0 cleans them anyway; "
                f"Explorer(boilerplate=False) cleans no document.",
                UserWarning,
                stacklevel=3,
            )
        self.report_ = pd.DataFrame(
            {
                "document": document,
                "id": pd.Series([ids[d] for d in document.tolist()], dtype=object),
                "line": line,
                "text": pd.Series(text, dtype=object),
                "reason": pd.Series(reason, dtype=object),
                "language": pd.Series([languages[d] for d in document.tolist()], dtype=object),
            },
            columns=list(_REPORT_COLUMNS),
        )
        return out
