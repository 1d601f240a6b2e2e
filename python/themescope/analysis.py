"""The multilingual analyzer: terms that mean something in French and English.

``Analyzer`` runs natively, one named stage after the other:

1. **language**: given, or identified per document (``language="auto"``, CLD2);
2. **normalize**: ICU NFKC case folding, apostrophes (’ ʼ ＇) unified to ``'``;
3. **segment**: Unicode word boundaries (UAX #29, ICU's BreakIterator):
   ``30.000``, ``1,000`` and ``l'otan`` are one segment, ``e-mail`` two;
4. **filter**: numbers (``numbers="keep"`` or ``"drop"``), elision (French
   ``l' d' qu' jusqu'``…, Italian, Catalan, English ``'s``), minimum length,
   stop words (Snowball's list for the document's language, or your own);
5. **stem**: Snowball stemmers (libstemmer); ``stem=False`` keeps the words;
   with ``fold_accents=True`` the terms then lose their accents (``Etats`` and
   ``États`` are one term);
6. **phrases** (``phrases=True``, off by default, on in the Explorer): pairs of
   adjacent terms learned from the corpus (:class:`themescope.Phrases`:
   names, compounds, collocations) become one term, shown as written most
   often ("Fumio Kishida", "Indo-Pacifique", "premier ministre");
7. **n-grams** over the surviving tokens;
8. **headline** (``headline_weight``, off by default): the terms of the
   document's first line counted again, as titles weigh in keyphrase
   extraction and search.

Give it to the vectorizers as their analyzer; the whole chain then runs in C++
on every core, with no Python object per token::

    ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)
"""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

from . import _core
from ._validation import InvalidTypeError, InvalidValueError

__all__ = ["Analyzer"]

_NATIVE = "_native_analyzer"


def _stop_word_collection(stop: Any) -> Collection[Any]:
    """``stop_words`` when it is a collection (a generator would be used up by the cache key)."""
    if not isinstance(stop, Collection):
        raise TypeError(f"stop_words must be 'auto', None or a collection of str, got {type(stop).__name__} {stop!r}")
    return stop


class Analyzer(BaseEstimator):  # type: ignore[misc]
    """Language-aware analysis of news text into terms.

    Parameters
    ----------
    language : str, default="auto"
        ISO 639-1 code of the documents' language, or ``"auto"`` to identify it
        per document with CLD2, from up to 512 characters sampled across it
        (:func:`themescope.detect_language` reads more, and costs more).
        Documents whose language is undetermined (``"und"``) or has no stop
        words or stemmer are only normalized, segmented and filtered by length
        and numbers.
    stop_words : "auto", None or collection of str, default="auto"
        ``"auto"``: Snowball's stop word list of each document's language
        (:data:`themescope.STOP_WORD_LANGUAGES`); ``None``: none; or your own
        words (normalized like the text before they are compared).
    elision : bool, default=True
        Remove elided articles and pronouns (``l'otan`` -> ``otan``) and the
        English possessive ``'s``.
    stem : bool, default=True
        Reduce words to their Snowball stems. The vectorizers then keep, per
        term, its most frequent surface form for display
        (``get_feature_names_out(display=True)``): the word as written, case
        kept, without its elided article ("États", "OTAN", "Kishida"; ties go
        to the smallest form in UTF-8 byte order, so "PARIS" before "Paris"
        before "paris"). A word whose written form differs from its normalized
        one by more than case (a soft hyphen inside, a ligature), or read by
        the ICU reference path (a stretch with characters beyond U+2FFF), is
        shown normalized, in lower case.
    numbers : {"keep", "drop"}, default="keep"
        What to do with number segments (``2019``, ``30.000``, ``1,000``).
    min_token_len : int, default=2
        Shortest token kept, in characters, after elision.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        Word n-grams formed from the tokens that survive the filters.
    fold_accents : bool, default=False
        Drop the accents of each term after stemming (Unicode NFKD, combining
        marks removed, as scikit-learn's ``strip_accents="unicode"``), so that
        a word written with and without its accents ("Etats-Unis" in one
        article, "États-Unis" in the next) is one term. Stemming still sees
        the accents its rules need; display forms stay the surface seen most
        often. :class:`themescope.Explorer` turns it on.
    phrases : bool or Phrases, default=False
        The phrase stage: ``True`` for :class:`themescope.Phrases` with its
        defaults, or a configured ``Phrases``. The phrases are learned from a
        corpus by :meth:`fit` (the vectorizers call it at the start of their
        ``fit``); until then the analyzer raises ``NotFittedError``.
        :class:`themescope.Explorer` turns it on.
    headline_weight : int, default=1
        How many times the terms of a document's headline count: its first
        line, when a line break ("\\n" or "\\r") follows it (a one-line document
        has none; a document that starts with a line break has an empty one).
        A headline names what the article is about, which is why keyphrase
        extractors and search engines weigh titles above body text; 2 counts
        its terms twice, in every vector the analyzer feeds (its display
        forms are counted twice too). 1: the first line is like the others.

    Attributes
    ----------
    phrases_ : Phrases
        With ``phrases`` on, once fitted: the fitted stage (its ``pairs_`` and
        ``statistics_``).

    Examples
    --------
    >>> import themescope as ts
    >>> analyzer = ts.Analyzer(language="fr")
    >>> analyzer("L’OTAN renforce ses alliances en cybersécurité")
    ['otan', 'renforc', 'allianc', 'cybersécur']
    >>> ts.Analyzer(language="en", stem=False)("NATO's cyber alliances, 1,000 experts")
    ['nato', 'cyber', 'alliances', '1,000', 'experts']
    >>> ts.Analyzer(language="fr", fold_accents=True)("États-Unis, Etats-Unis")
    ['etat', 'unis', 'etat', 'unis']
    >>> docs = ["Les États-Unis et l'Indo-Pacifique.", "Aux États-Unis, Fumio Kishida.", "Fumio Kishida à Tokyo."]
    >>> ts.Analyzer(language="fr", phrases=True).fit(docs)("Fumio Kishida aux États-Unis")
    ['fumio kishid', 'état unis']
    """

    def __init__(
        self,
        language: str = "auto",
        stop_words: Any = "auto",
        elision: bool = True,
        stem: bool = True,
        numbers: str = "keep",
        min_token_len: int = 2,
        ngram_range: tuple[int, int] = (1, 1),
        fold_accents: bool = False,
        phrases: Any = False,
        headline_weight: int = 1,
    ) -> None:
        self.language = language
        self.stop_words = stop_words
        self.elision = elision
        self.stem = stem
        self.numbers = numbers
        self.min_token_len = min_token_len
        self.ngram_range = ngram_range
        self.fold_accents = fold_accents
        self.phrases = phrases
        self.headline_weight = headline_weight

    # ---- the native analyzer, rebuilt whenever a parameter changed ----
    def _key(self) -> tuple[Any, ...]:
        stop = self.stop_words
        if stop is not None and not isinstance(stop, str):
            stop = tuple(_stop_word_collection(stop))  # as given: words checked in _build, so not sorted here
        return (self.language, stop, self.elision, self.stem, self.numbers, self.min_token_len,
                tuple(self.ngram_range), self.fold_accents, learned_pairs(self),
                keeps_words(self), self.headline_weight, tuple(sorted(learned_terms(self).items())))

    def native(self) -> _core.MultilingualAnalyzer:
        """The configured native analyzer (what the vectorizers count with)."""
        key = self._key()
        cached = self.__dict__.get(_NATIVE)
        if cached is not None and cached[0] == key:
            return cached[1]  # type: ignore[no-any-return]
        analyzer = self._build()
        self.__dict__[_NATIVE] = (key, analyzer)
        return analyzer

    # ---- the phrase stage ----
    def fit(self, documents: Any, y: Any = None, *, languages: Any = None) -> Analyzer:
        """Learn the phrase stage's phrases from ``documents`` (nothing to learn without it).

        ``languages``: each document's language code, when known.
        """
        fit_phrase_stage(self, documents, languages)
        return self

    def _native_without_phrases(self) -> _core.MultilingualAnalyzer:
        return self._build(phrases=None)

    def _build(self, phrases: Any = "learned") -> _core.MultilingualAnalyzer:
        if not isinstance(self.language, str):
            raise TypeError(f"language must be a str, got {type(self.language).__name__}")
        stop = self.stop_words
        custom: list[str] | None = None
        if isinstance(stop, str):
            if stop != "auto":
                raise ValueError(f"stop_words must be 'auto', None or a collection of str, got {stop!r}")
        elif stop is not None:
            custom = list(_stop_word_collection(stop))
            bad = [w for w in custom if not isinstance(w, str)]
            if bad:
                raise TypeError(f"stop words must be str, got {type(bad[0]).__name__} {bad[0]!r}")
        if self.numbers not in ("keep", "drop"):
            raise ValueError(f"numbers must be 'keep' or 'drop', got {self.numbers!r}")
        for name in ("elision", "stem", "fold_accents"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be a bool, got {getattr(self, name)!r}")
        min_len = self.min_token_len
        if isinstance(min_len, bool) or not isinstance(min_len, int) or min_len < 1:
            raise ValueError(f"min_token_len must be an int >= 1, got {min_len!r}")
        ngram_range = tuple(self.ngram_range)
        if (len(ngram_range) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)
                or not 1 <= ngram_range[0] <= ngram_range[1]):
            raise ValueError(f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n, got {self.ngram_range!r}")
        weight = self.headline_weight
        if isinstance(weight, bool) or not isinstance(weight, numbers.Integral):
            raise InvalidTypeError(f"headline_weight must be an int >= 1, got {weight!r}")
        if weight < 1:
            raise InvalidValueError(f"headline_weight must be an int >= 1, got {weight!r}")
        return _core.MultilingualAnalyzer(
            language=self.language,
            custom_stop_words=custom,
            language_stop_words=stop == "auto",
            elision=self.elision,
            stem=self.stem,
            numbers=self.numbers,
            min_token_length=min_len,
            ngram_range=(ngram_range[0], ngram_range[1]),
            fold_accents=self.fold_accents,
            phrases=learned_pairs(self) if phrases == "learned" else phrases,
            phrase_terms=learned_terms(self) if phrases == "learned" else None,
            phrase_keeps_words=keeps_words(self),
            headline_weight=int(weight) if phrases == "learned" else 1,  # phrases are counted once per text
        )

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop(_NATIVE, None)  # native object: rebuilt on demand
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # An analyzer pickled (or saved in an Explorer) before headline_weight existed read
        # every line alike.
        state = dict(state)
        state.setdefault("headline_weight", 1)
        super().__setstate__(state)

    def __sklearn_is_fitted__(self) -> bool:
        return not phrase_stage_of(self) or "phrases_" in self.__dict__

    # ---- use ----
    def __call__(self, text: str) -> list[str]:
        """The terms of one document, in order."""
        return self.native()(text)

    def language_of(self, text: str) -> str:
        """The language this analyzer uses for ``text``."""
        return self.native().language_of(text)

    def explain(self, text: str) -> pd.DataFrame:
        """Every word segment of ``text`` through every stage.

        Returns
        -------
        pandas.DataFrame
            One row per segment: ``language``, ``segment`` (normalized),
            ``kind`` (``letter``, ``number``, ``kana``, ``ideographic``),
            ``unelided`` (after elision), ``term`` (the term counted, or missing)
            and ``dropped_by`` (``numbers``, ``length``, ``stop_words``, or
            missing when the segment was kept), ``phrase`` (the phrase term the
            segment is part of, with ``phrases`` on; else missing).

        Examples
        --------
        >>> import themescope as ts
        >>> table = ts.Analyzer(language="fr").explain("L’OTAN et l’Inde")
        >>> table[["segment", "term", "dropped_by"]].fillna("-").values.tolist()
        [["l'otan", 'otan', '-'], ['et', '-', 'stop_words'], ["l'inde", 'inde', '-']]
        """
        columns = self.native().explain(text)
        return pd.DataFrame(columns, columns=["language", "segment", "kind", "unelided", "term", "dropped_by",
                                              "phrase"])


# ---- the phrase stage: names, compounds and collocations as single terms (see themescope.phrases) ----
_PHRASE_COLUMNS = ["first", "second", "count", "documents", "hyphenated", "capitalized", "first_count",
                   "second_count", "npmi", "selected"]


class Phrases(BaseEstimator):  # type: ignore[misc]
    """Multiword terms learned from a corpus: the analyzer's phrase stage.

    Parameters
    ----------
    min_count : int, default=2
        Fewest adjacent occurrences of a pair for it to be a phrase.
    min_documents : int, default=2
        Fewest documents a collocation occurs in (a phrase is a fact of the
        corpus, not one article's headline repeated in its lead).
    threshold : float, default=0.5
        Smallest NPMI (in [-1, 1]) of a collocation.
    name_threshold : float, default=0.25
        Smallest NPMI of a pair written as a name or a compound (capitalized
        words, or joined by a hyphen, in at least half of its occurrences).
    name_min_documents : int, default=1
        Fewest documents a name or compound occurs in: how it is written is
        evidence one article can give ("Serena Williams" twice in one story
        is her name). Set it to ``min_documents`` to ask names for as many.
    keep_words : bool, default=False
        What the analyzer emits for a phrase: the phrase alone (``False``, as
        gensim's ``Phrases`` does), or its two words and then the phrase
        (``True``: the phrase is a feature added to its words, as word
        n-grams are, so that similarity still sees "Kishida" in "Fumio
        Kishida"). :class:`themescope.Explorer` keeps the words, and shows a
        word that a phrase above it in a list already holds only once.
    names_across_languages : bool, default=True
        Count a name written alike in documents of several languages once,
        over its written words, and make it one term in every language. Each
        language's stemmer cuts a name its own way (French "Kishida" ->
        ``kishid``, English ``kishida``), so "Fumio Kishida" once in a French and
        once in an English article is two pairs seen once each, and neither
        reaches ``min_count``. With this rule the pairs are also counted
        unstemmed (a second counting pass, made only with a stemming analyzer of
        ``language="auto"`` and documents of two or more languages given in
        ``languages``); a pair chosen there as a name or compound (same
        thresholds) whose words the corpus's languages stem differently, and none
        of whose stemmed pairs was seen ``min_count`` times (so it was written
        alike in documents of two languages at least; a pair the stemmed count
        saw, "Joe Biden" in the French articles, keeps its term and weight),
        joins ``pairs_`` with every language's stemmed pair, all of them one term: the
        pair of the corpus's most frequent language (most documents, then the
        smaller code), so that its articles keep their term ("fumio kishid" in a
        mostly French corpus), in ``name_terms_``. A name in one language only
        is unchanged (the stemmed count already sees it whole).

    Attributes
    ----------
    pairs_ : list of tuple (str, str)
        The phrases chosen, as pairs of terms, sorted.
    statistics_ : pandas.DataFrame
        Every pair seen adjacent at least ``min_count`` times: ``first``,
        ``second`` (terms), ``count``, ``documents``, ``hyphenated``, ``capitalized`` (of its
        occurrences), ``first_count``, ``second_count`` (of each term),
        ``npmi``, ``selected``; sorted by terms.
    n_tokens_ : int
        Kept tokens counted.
    name_terms_ : dict of (str, str) to str
        The pairs ``names_across_languages`` added, each with the one term it
        becomes (``{("fumio", "kishid"): "fumio kishida", ("fumio", "kishida"):
        "fumio kishid"}`` in a mostly French corpus); empty otherwise.

    Examples
    --------
    >>> import themescope as ts
    >>> docs = ["Le premier ministre Fumio Kishida arrive.", "Fumio Kishida et le premier ministre indien.",
    ...         "Le ministre parle. Le premier jour."]
    >>> stage = ts.Phrases().fit(docs, analyzer=ts.Analyzer(language="fr"))
    >>> stage.pairs_
    [('fumio', 'kishid'), ('premi', 'ministr')]
    """

    def __init__(self, min_count: int = 2, min_documents: int = 2, threshold: float = 0.5,
                 name_threshold: float = 0.25, keep_words: bool = False, name_min_documents: int = 1,
                 names_across_languages: bool = True) -> None:
        self.min_count = min_count
        self.min_documents = min_documents
        self.threshold = threshold
        self.name_threshold = name_threshold
        self.keep_words = keep_words
        self.name_min_documents = name_min_documents
        self.names_across_languages = names_across_languages

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Phrases pickled before name_min_documents existed asked names for min_documents too.
        state = dict(state)
        state.setdefault("name_min_documents", state.get("min_documents", 2))
        # ...and before names_across_languages: stemmed pairs only, each its own term.
        state.setdefault("names_across_languages", False)
        if "pairs_" in state:
            state.setdefault("name_terms_", {})
        super().__setstate__(state)

    def _check_params(self) -> None:
        for name in ("min_count", "min_documents", "name_min_documents"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise InvalidValueError(f"{name} must be an int >= 1, got {value!r}")
        for name in ("threshold", "name_threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not -1 <= float(value) <= 1:
                raise InvalidValueError(f"{name} must be a number in [-1, 1] (an NPMI), got {value!r}")
        for name in ("keep_words", "names_across_languages"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidTypeError(f"{name} must be a bool, got {getattr(self, name)!r}")

    def fit(self, documents: Iterable[str], y: Any = None, *, analyzer: Any = None,
            languages: Any = None) -> Phrases:
        """Count the adjacent pairs of ``documents`` and choose the phrases.

        Parameters
        ----------
        documents : iterable of str
        analyzer : Analyzer, optional
            Whose tokens are counted (its own phrase stage is not applied);
            default ``Analyzer()``.
        languages : sequence of str, optional
            Each document's language code, when known.
        """
        self._check_params()
        if isinstance(documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        if analyzer is None:
            analyzer = Analyzer()
        if not isinstance(analyzer, Analyzer):
            raise TypeError(f"analyzer must be a themescope.Analyzer, got {type(analyzer).__name__}")
        docs = documents if isinstance(documents, (list, tuple)) else list(documents)
        codes = None if languages is None else [str(code) for code in languages]
        table, n_tokens = self._count(analyzer, docs, codes)
        self.statistics_ = table
        chosen = table.loc[table["selected"].astype(bool)]
        self.pairs_ = list(zip(chosen["first"].tolist(), chosen["second"].tolist()))
        self.n_tokens_ = int(n_tokens)
        self.name_terms_ = self._names_across_languages(analyzer, docs, codes)
        self.pairs_ = sorted(set(self.pairs_) | set(self.name_terms_))
        return self

    def _count(self, analyzer: Analyzer, docs: Any, codes: list[str] | None) -> tuple[pd.DataFrame, int]:
        """The pairs' statistics of ``docs`` as ``analyzer`` reads them (count_phrases), and the kept tokens."""
        columns, n_tokens = _core.count_phrases(
            analyzer._native_without_phrases(), docs, languages=codes, min_count=int(self.min_count),
            min_documents=int(self.min_documents), threshold=float(self.threshold),
            name_threshold=float(self.name_threshold), name_min_documents=int(self.name_min_documents))
        return pd.DataFrame(columns, columns=_PHRASE_COLUMNS), int(n_tokens)

    def _names_across_languages(self, analyzer: Analyzer, docs: Any,
                                codes: list[str] | None) -> dict[tuple[str, str], str]:
        """names_across_languages: {stemmed pair: its one term} (see the class's docstring)."""
        documents = Counter(code for code in codes or () if code != "und")
        present = sorted(documents, key=lambda code: (-documents[code], code))  # most frequent first
        if not self.names_across_languages or not analyzer.stem or analyzer.language != "auto" or len(present) < 2:
            return {}
        written = clone(analyzer).set_params(stem=False, fold_accents=False, phrases=False)
        table, _ = self._count(written, docs, codes)
        names = table.loc[table["selected"].astype(bool) & (
            (2 * table["capitalized"] >= table["count"]) | (2 * table["hyphenated"] >= table["count"]))]
        stemmed = analyzer._native_without_phrases()
        # Pairs the stemmed count saw min_count times: such a name keeps its term as it is. A pair
        # seen fewer times in each language's stemming (which only merges its inflections) but
        # min_count times written alike is a name of several languages.
        counted = set(zip(self.statistics_["first"], self.statistics_["second"]))
        terms: dict[tuple[str, str], str] = {}
        for first, second, hyphenated, count in zip(names["first"], names["second"], names["hyphenated"],
                                                    names["count"]):
            text = f"{first}{'-' if 2 * hyphenated >= count else ' '}{second}"
            pairs: list[tuple[str, str]] = []  # the most frequent language's first
            for language in present:
                tokens = stemmed.linked_tokens(text, language)
                if len(tokens) == 2 and tokens[1][3] != "none":  # neither word a stop word of that language
                    pairs.append((tokens[0][0], tokens[1][0]))
            # stemmed differently by the languages, none of its pairs seen min_count times: one term for all
            if len(set(pairs)) > 1 and not set(pairs) & counted:
                terms.update(dict.fromkeys(sorted(pairs), " ".join(pairs[0])))
        return terms


# ---- display: a word is shown once, inside the phrase that holds it ----


def phrase_stage_of(analyzer: Any) -> Any:
    """The analyzer's configured :class:`~themescope.Phrases`, or None when the stage is off."""
    setting = analyzer.phrases
    if setting is False or setting is None:
        return None
    if setting is True:
        return Phrases()
    if isinstance(setting, Phrases):
        return setting
    raise TypeError(f"phrases must be True, False or a themescope.Phrases, got {type(setting).__name__} {setting!r}")


def learned_pairs(analyzer: Any) -> list[tuple[str, str]] | None:
    """The pairs the native analyzer joins (None: no phrase stage); NotFittedError before fit."""
    if phrase_stage_of(analyzer) is None:
        return None
    fitted = analyzer.__dict__.get("phrases_")
    if fitted is None:
        raise NotFittedError(
            "this Analyzer(phrases=...) has not learned its phrases yet: call fit(documents) first "
            "(the vectorizers' fit does it), or set phrases=False"
        )
    return list(fitted.pairs_)


def learned_terms(analyzer: Any) -> dict[tuple[str, str], str]:
    """The learned pairs that are given a term of their own (Phrases.name_terms_)."""
    if phrase_stage_of(analyzer) is None or "phrases_" not in analyzer.__dict__:
        return {}
    return dict(analyzer.__dict__["phrases_"].name_terms_)


def keeps_words(analyzer: Any) -> bool:
    """Whether the analyzer emits a phrase's words beside it."""
    stage = phrase_stage_of(analyzer)
    return bool(stage is not None and stage.keep_words)


def fit_phrase_stage(analyzer: Any, documents: Any, languages: Any = None) -> None:
    """Learn the analyzer's phrases from ``documents`` (forget them when the stage is off)."""
    stage = phrase_stage_of(analyzer)
    analyzer.__dict__.pop("phrases_", None)
    if stage is None:
        return
    analyzer.phrases_ = clone(stage).fit(documents, analyzer=analyzer, languages=languages)


def needs_phrase_fit(analyzer: Any) -> bool:
    """Whether a vectorizer with this analyzer learns phrases before counting."""
    return isinstance(analyzer, Analyzer) and phrase_stage_of(analyzer) is not None


def cloned_analyzer(analyzer: Any, **params: Any) -> Any:
    """``clone(analyzer).set_params(**params)``, keeping the phrases it learned (a clone has none)."""
    copy = clone(analyzer).set_params(**params)
    if "phrases_" in analyzer.__dict__ and phrase_stage_of(copy) is not None:
        copy.phrases_ = analyzer.phrases_
    return copy
