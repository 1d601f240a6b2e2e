"""partial_fit and merge_vectorizers: exactly one fit on all the documents.

Hypothesis draws document lists, split points, merge trees and vectorizer settings
(every scikit-learn parameter of CountVectorizer and TfidfVectorizer, ``input="filename"`` and
``"file"`` included, documents then read from files; str and bytes documents; the
native and the Python-analyzer paths; themescope's stemming Analyzer); the oracle is one ``fit``
on the concatenation, and every observable must equal it bit for bit: vocabulary_
items in order, display forms, idf_ bytes, and transform's type, dtype, shape,
indptr, indices and data bytes.
"""

from __future__ import annotations

import contextlib
import pickle
from pathlib import Path
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

import themescope as ts
from themescope.incremental import TermStatistics

WORDS = [
    "cyber", "Cyber", "attaque", "attaques", "Attaqué", "sommet", "Quad", "quad", "the", "and", "of",
    "l'État", "états", "Etats", "manifestation", "manifestations", "gilets", "jaunes", "naïve", "naive",
    "über", "2024", "30.000", "x", "news", "summit", "summits", "Inde", "OTAN", "économie", "Économie",
    "ß", "straße", "ﬁn", "東京", "😀", "", "le", "la", "les",
]

document = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join) | st.text(max_size=30)
documents = st.lists(document, min_size=1, max_size=14)


def upper_tokens(text: str) -> list[str]:  # a module-level tokenizer: picklable
    return [w.upper() for w in text.split()]


def pairs(text: str) -> list[tuple[str, int]]:  # a callable analyzer making non-str terms
    return [(w, len(w)) for w in text.split()]


def strip_digits(text: str) -> str:
    return "".join(c for c in text if not c.isdigit()).lower()


@st.composite
def vectorizer_params(draw: Any, tfidf: bool) -> dict[str, Any]:
    p: dict[str, Any] = {}
    kind = draw(st.sampled_from(["word", "word", "char", "char_wb", "callable", "tokenizer", "analyzer", "vocab"]))
    if kind in ("char", "char_wb"):
        p["analyzer"] = kind
        p["ngram_range"] = draw(st.sampled_from([(1, 1), (2, 3), (1, 2)]))
    elif kind == "callable":
        p["analyzer"] = pairs
    elif kind == "tokenizer":
        p["tokenizer"] = upper_tokens
        p["token_pattern"] = None
        p["lowercase"] = False
    elif kind == "analyzer":
        p["analyzer"] = ts.Analyzer(language=draw(st.sampled_from(["fr", "en", "auto"])),
                                    stem=draw(st.booleans()),
                                    ngram_range=draw(st.sampled_from([(1, 1), (1, 2)])))
    elif kind == "vocab":
        p["vocabulary"] = draw(st.lists(st.sampled_from(["cyber", "quad", "sommet", "news", "gilets", "zzz"]),
                                        min_size=1, max_size=5, unique=True))
    else:
        p["ngram_range"] = draw(st.sampled_from([(1, 1), (1, 2), (2, 2)]))
        p["token_pattern"] = draw(st.sampled_from([r"(?u)\b\w\w+\b", r"(?u)\b\w+\b", r"[a-zé]+"]))
        p["stop_words"] = draw(st.sampled_from([None, "english", ["le", "la", "les", "the"]]))
        p["preprocessor"] = draw(st.sampled_from([None, None, strip_digits]))
    if kind not in ("analyzer", "callable", "tokenizer"):
        p["lowercase"] = draw(st.booleans())
        p["strip_accents"] = draw(st.sampled_from([None, "ascii", "unicode"]))
    if kind != "vocab":
        p["min_df"] = draw(st.sampled_from([1, 2, 3, 0.0, 0.2, 0.5]))
        p["max_df"] = draw(st.sampled_from([1.0, 0.7, 0.9, 5, 100]))
        p["max_features"] = draw(st.sampled_from([None, None, 1, 3, 8]))
    p["binary"] = draw(st.booleans())
    if draw(st.booleans()):  # documents given as bytes: decoded by the vectorizer
        p["encoding"] = draw(st.sampled_from(["utf-8", "latin-1"]))
        p["decode_error"] = draw(st.sampled_from(["strict", "replace", "ignore"]))
    if tfidf:
        p["dtype"] = draw(st.sampled_from([np.float64, np.float32]))
        p["norm"] = draw(st.sampled_from(["l2", "l1", None]))
        p["use_idf"] = draw(st.booleans())
        p["smooth_idf"] = draw(st.booleans())
        p["sublinear_tf"] = draw(st.booleans())
    else:
        p["dtype"] = draw(st.sampled_from([np.int64, np.int32, np.float64, np.float32, np.int8, np.bool_]))
    return p


def quietly(work: Any) -> tuple[Any, BaseException | None]:
    """work()'s result (or exception), every warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return work(), None
        except ValueError as error:
            return None, error


def assert_same_matrix(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.indptr.tobytes() == b.indptr.tobytes()
    assert a.indices.tobytes() == b.indices.tobytes()
    assert a.data.tobytes() == b.data.tobytes()


def assert_fitted_alike(got: Any, one: Any, docs: list[str], ordered: bool = True) -> None:
    """got (partial/merged) is one fit: vocabulary, display forms, idf_, transform."""
    if ordered:
        assert list(got.vocabulary_.items()) == list(one.vocabulary_.items())
    else:
        assert got.vocabulary_ == one.vocabulary_
    for display in (False, True):
        assert got.get_feature_names_out(display=display).tolist() == one.get_feature_names_out(display=display).tolist()
    if hasattr(one, "idf_") and getattr(one, "use_idf", False):
        assert got.idf_.dtype == one.idf_.dtype
        assert got.idf_.tobytes() == one.idf_.tobytes()
    expected, _ = quietly(lambda: one.transform(docs))
    got_matrix, _ = quietly(lambda: got.transform(docs))
    assert_same_matrix(got_matrix, expected)


def as_given(docs: list[str], params: dict[str, Any]) -> list[Any]:
    """The documents as bytes when the parameters say how to decode them (``encoding``)."""
    return [d.encode("utf-8", "replace") for d in docs] if "encoding" in params else docs


def split(docs: list[Any], cuts: list[int]) -> list[list[Any]]:
    points = sorted({c % (len(docs) + 1) for c in cuts})
    bounds = [0, *points, len(docs)]
    return [docs[a:b] for a, b in zip(bounds, bounds[1:])]


HYPOTHESIS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("cls", [ts.CountVectorizer, ts.TfidfVectorizer])
@HYPOTHESIS
@given(data=st.data(), docs=documents, cuts=st.lists(st.integers(0, 20), max_size=5))
def test_partial_fit_sequence_equals_one_fit(cls: Any, data: Any, docs: list[str], cuts: list[int]) -> None:
    params = data.draw(vectorizer_params(cls is ts.TfidfVectorizer))
    docs = as_given(docs, params)
    one, fit_error = quietly(lambda: cls(**params).fit(docs))
    partial = cls(**params)
    chunks = split(docs, cuts)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        errors = []
        for chunk in chunks:
            try:
                partial.partial_fit(chunk)
            except ValueError as error:
                errors.append(error)
    no_terms_warnings = [w for w in caught if "the statistics are kept" in str(w.message)]
    if fit_error is not None:
        # No fitted vocabulary either way: the same reason, as a warning (the
        # statistics stay, for documents to come) or the same error.
        message = str(fit_error)
        assert any(message in str(e) for e in errors) or (
            no_terms_warnings and message.split(";")[0] in str(no_terms_warnings[-1].message)
        )
        assert "vocabulary_" not in partial.__dict__ or partial.fixed_vocabulary_
        return
    assert not errors
    assert partial.term_statistics_.n_documents == len(docs)
    assert_fitted_alike(partial, one, docs)
    # And fit_transform's matrix is the same one.
    one_matrix, _ = quietly(lambda: cls(**params).fit_transform(docs))
    assert_same_matrix(quietly(lambda: partial.transform(docs))[0], one_matrix)


def random_tree_merge(draw: Any, parts: list[Any]) -> Any:
    """Merge adjacent parts in an order hypothesis chooses, until one is left."""
    parts = list(parts)
    while len(parts) > 1:
        i = draw(st.integers(0, len(parts) - 2))
        width = draw(st.integers(2, min(3, len(parts) - i)))
        merged, _ = quietly(lambda: ts.merge_vectorizers(*parts[i : i + width]))
        parts[i : i + width] = [merged]
    return parts[0]


@pytest.mark.parametrize("cls", [ts.CountVectorizer, ts.TfidfVectorizer])
@HYPOTHESIS
@given(data=st.data(), docs=documents, cuts=st.lists(st.integers(0, 20), min_size=1, max_size=5))
def test_merge_trees_equal_one_fit(cls: Any, data: Any, docs: list[str], cuts: list[int]) -> None:
    params = data.draw(vectorizer_params(cls is ts.TfidfVectorizer))
    docs = as_given(docs, params)
    one, fit_error = quietly(lambda: cls(**params).fit(docs))
    shards = [quietly(lambda c=chunk: cls(**params).partial_fit(c)) for chunk in split(docs, cuts)]
    errors = [error for _, error in shards if error is not None]
    if errors:  # a parameter error: the same as fit's
        assert fit_error is not None and str(errors[0]) == str(fit_error)
        return
    parts = [v for v, _ in shards]
    # In another process, a shard is a pickle: merge what comes back.
    parts = [pickle.loads(pickle.dumps(v)) for v in parts]
    merged = random_tree_merge(data.draw, parts)
    if fit_error is not None:
        assert "vocabulary_" not in merged.__dict__ or merged.fixed_vocabulary_
        return
    assert merged.term_statistics_.n_documents == len(docs)
    assert_fitted_alike(merged, one, docs)
    # Shards merged in another order: the same mapping, idf_ and matrices (only
    # vocabulary_'s insertion order follows the documents' order).
    if len(parts) > 1:
        shuffled = data.draw(st.permutations(parts))
        other, _ = quietly(lambda: ts.merge_vectorizers(*shuffled))
        assert_fitted_alike(other, one, docs, ordered=False)


class DocumentsOnDisk:
    """The documents written to files, given as ``input="filename"`` (paths) or ``input="file"``
    (binary file objects, fresh for each use: a read file is spent)."""

    def __init__(self, folder: Path, docs: list[Any], source: str) -> None:
        self.paths = []
        for i, doc in enumerate(docs):
            path = folder / f"{i}.txt"
            path.write_bytes(doc if isinstance(doc, bytes) else doc.encode("utf-8"))
            self.paths.append(path)
        self.source = source
        self.opened: list[Any] = []

    def __call__(self, start: int = 0, stop: int | None = None) -> list[Any]:
        paths = self.paths[start:stop]
        if self.source == "filename":
            return [str(p) for p in paths]
        files = [p.open("rb") for p in paths]
        self.opened += files
        return files

    def close(self) -> None:
        for f in self.opened:
            f.close()


@pytest.mark.parametrize("cls", [ts.CountVectorizer, ts.TfidfVectorizer])
@pytest.mark.parametrize("source", ["filename", "file"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), docs=documents, cuts=st.lists(st.integers(0, 20), min_size=1, max_size=4))
def test_documents_read_from_files_grow_and_merge_as_one_fit(
        tmp_path_factory: pytest.TempPathFactory, cls: Any, source: str, data: Any, docs: list[str],
        cuts: list[int]) -> None:
    params = data.draw(vectorizer_params(cls is ts.TfidfVectorizer)) | {"input": source}
    on_disk = DocumentsOnDisk(tmp_path_factory.mktemp("docs"), as_given(docs, params), source)
    try:
        one, fit_error = quietly(lambda: cls(**params).fit(on_disk()))
        points = sorted({c % (len(docs) + 1) for c in cuts})
        bounds = list(zip([0, *points], [*points, len(docs)]))
        partial = cls(**params)
        errors = [quietly(lambda a=a, b=b: partial.partial_fit(on_disk(a, b)))[1] for a, b in bounds]
        shards = [quietly(lambda a=a, b=b: cls(**params).partial_fit(on_disk(a, b)))[0] for a, b in bounds]
        if fit_error is not None:
            assert "vocabulary_" not in partial.__dict__ or partial.fixed_vocabulary_
            return
        assert not any(errors)
        merged, _ = quietly(lambda: ts.merge_vectorizers(*shards))
        for got in (partial, merged):
            assert list(got.vocabulary_.items()) == list(one.vocabulary_.items())
            if getattr(one, "use_idf", False) and hasattr(one, "idf_"):
                assert got.idf_.tobytes() == one.idf_.tobytes()
            assert_same_matrix(quietly(lambda g=got: g.transform(on_disk()))[0],
                               quietly(lambda: one.transform(on_disk()))[0])
    finally:
        on_disk.close()


def test_file_objects_with_a_callable_analyzer_are_read_once(tmp_path: Path) -> None:
    # Found by the test above: fit looked at the first document's terms (are they str?) and
    # put back the file object it had read, which then read as empty.
    from sklearn.feature_extraction.text import CountVectorizer as SkCountVectorizer

    for i, text in enumerate(["cyber attack", "Cyber summit"]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")

    with contextlib.ExitStack() as stack:
        def files() -> list[Any]:
            return [stack.enter_context((tmp_path / f"{i}.txt").open("rb")) for i in range(2)]

        ours = ts.CountVectorizer(input="file", analyzer=pairs).fit(files())
        theirs = SkCountVectorizer(input="file", analyzer=pairs).fit(files())
    # terms sorted as scikit-learn sorts them: ("Cyber", 5) < ("attack", 6) < ("cyber", 5) < ("summit", 6)
    assert ours.vocabulary_ == theirs.vocabulary_ == {("Cyber", 5): 0, ("attack", 6): 1, ("cyber", 5): 2,
                                                      ("summit", 6): 3}


def test_stemming_analyzer_display_forms_and_languages_merge() -> None:
    docs = ts.datasets.load_sample_articles().data
    languages = ts.detect_languages(docs)
    params = dict(analyzer=ts.Analyzer(), min_df=1, sublinear_tf=True)
    one = ts.TfidfVectorizer(**params).fit(docs, languages=languages)
    partial = ts.TfidfVectorizer(**params)
    for start in range(0, len(docs), 2):
        partial.partial_fit(docs[start : start + 2], languages=languages[start : start + 2])
    assert list(partial.vocabulary_.items()) == list(one.vocabulary_.items())
    names = partial.get_feature_names_out(display=True)
    assert names.tolist() == one.get_feature_names_out(display=True).tolist()
    assert names.tolist() != partial.get_feature_names_out().tolist()  # stems shown as words: a real check
    # per language too: the English article 002 shows its own forms, the French ones theirs
    assert partial.feature_display_names_by_language_ == one.feature_display_names_by_language_
    assert one.feature_display_names_by_language_.get("en")  # English has forms of its own: a real check
    for language in ("fr", "en"):
        assert (partial.get_feature_names_out(display=True, language=language).tolist()
                == one.get_feature_names_out(display=True, language=language).tolist())
    assert partial.idf_.tobytes() == one.idf_.tobytes()
    assert_same_matrix(partial.transform(docs, languages=languages), one.transform(docs, languages=languages))


@pytest.mark.corpus
def test_bbc_in_chunks_equals_one_fit(bbc_texts: list[str]) -> None:
    params = dict(analyzer=ts.Analyzer(language="en"), min_df=3, max_df=0.5, max_features=5000, sublinear_tf=True)
    one = ts.TfidfVectorizer(**params).fit(bbc_texts)
    partial = ts.TfidfVectorizer(**params)
    for start in range(0, len(bbc_texts), 400):
        partial.partial_fit(bbc_texts[start : start + 400])
    assert_fitted_alike(partial, one, bbc_texts)
    halves = [ts.TfidfVectorizer(**params).partial_fit(bbc_texts[:1000]),
              ts.TfidfVectorizer(**params).partial_fit(bbc_texts[1000:])]
    assert_fitted_alike(ts.merge_vectorizers(*halves), one, bbc_texts)


# ---- clear errors and kept state ----
def test_partial_fit_after_fit_is_refused() -> None:
    v = ts.TfidfVectorizer().fit(["cyber attack"])
    with pytest.raises(ValueError, match="fitted with fit\\(\\), which keeps no statistics"):
        v.partial_fit(["quad summit"])
    assert list(v.vocabulary_) == ["cyber", "attack"]  # untouched


def test_fit_after_partial_fit_starts_afresh() -> None:
    v = ts.CountVectorizer().partial_fit(["cyber attack"])
    v.fit(["quad summit"])
    assert "term_statistics_" not in v.__dict__
    assert sorted(v.vocabulary_) == ["quad", "summit"]


def test_changed_counting_parameter_is_named() -> None:
    v = ts.CountVectorizer().partial_fit(["cyber attack"])
    v.set_params(ngram_range=(1, 2))
    with pytest.raises(ValueError, match="ngram_range: \\(1, 1\\) and \\(1, 2\\)"):
        v.partial_fit(["quad summit"])
    assert v.term_statistics_.n_documents == 1


def test_pruning_parameters_may_change_between_calls() -> None:
    v = ts.CountVectorizer(min_df=2).partial_fit(["cyber attack", "cyber summit"])
    assert list(v.vocabulary_) == ["cyber"]
    v.set_params(min_df=1)
    v.partial_fit(["quad"])
    one = ts.CountVectorizer().fit(["cyber attack", "cyber summit", "quad"])
    assert list(v.vocabulary_.items()) == list(one.vocabulary_.items())


def test_no_term_yet_warns_and_keeps_the_statistics() -> None:
    v = ts.CountVectorizer(min_df=2)
    with pytest.warns(UserWarning, match="After pruning, no terms remain.*after 2 documents"):
        v.partial_fit(["cyber attack", "quad summit"])
    assert "vocabulary_" not in v.__dict__
    with pytest.raises(Exception, match="Vocabulary not fitted"):
        v.transform(["cyber"])
    v.partial_fit(["cyber"])
    assert list(v.vocabulary_) == ["cyber"]
    # A fractional max_df over too few documents yet: the same (fit would raise).
    w = ts.CountVectorizer(min_df=2, max_df=0.5)
    with pytest.warns(UserWarning, match="max_df corresponds to < documents than min_df \\(after 2 documents\\)"):
        w.partial_fit(["cyber", "cyber"])
    w.partial_fit(["quad", "summit"])
    assert list(w.vocabulary_) == ["cyber"]
    with pytest.raises(ValueError, match="max_df corresponds"):  # integers: contradictory whatever the documents
        ts.CountVectorizer(min_df=3, max_df=2).partial_fit(["cyber"] * 5)


def test_a_failed_call_leaves_the_vectorizer_as_it_was() -> None:
    v = ts.CountVectorizer().partial_fit(["cyber attack"])
    before = pickle.dumps(v)
    with pytest.raises(TypeError, match="document 1 is int"):
        v.partial_fit(["quad", 7])
    assert pickle.dumps(v) == before
    v.set_params(min_df=5, max_df=2)
    with pytest.raises(ValueError, match="max_df corresponds to < documents than min_df"):
        v.partial_fit(["quad"])
    assert v.term_statistics_.n_documents == 1 and list(v.vocabulary_) == ["cyber", "attack"]


def test_merge_errors_name_the_problem() -> None:
    a = ts.CountVectorizer().partial_fit(["cyber"])
    with pytest.raises(ValueError, match="at least one"):
        ts.merge_vectorizers()
    with pytest.raises(ValueError, match="vectorizer 1 was not fitted with partial_fit"):
        ts.merge_vectorizers(a, ts.CountVectorizer().fit(["quad"]))
    with pytest.raises(TypeError, match="vectorizer 1 is a TfidfVectorizer"):
        ts.merge_vectorizers(a, ts.TfidfVectorizer().partial_fit(["quad"]))
    with pytest.raises(ValueError, match="vectorizers 0 and 1 differ in max_features: None and 5"):
        ts.merge_vectorizers(a, ts.CountVectorizer(max_features=5).partial_fit(["quad"]))
    with pytest.raises(TypeError, match="expected TermStatistics"):
        a.term_statistics_.merged(a)


def test_merge_leaves_its_inputs_alone_and_pickles_continue() -> None:
    a = ts.TfidfVectorizer().partial_fit(["cyber attack"])
    b = ts.TfidfVectorizer().partial_fit(["quad summit", "cyber"])
    before = (pickle.dumps(a), pickle.dumps(b))
    merged = ts.merge_vectorizers(a, b)
    assert (pickle.dumps(a), pickle.dumps(b)) == before
    assert merged is not a and isinstance(merged.term_statistics_, TermStatistics)
    again = pickle.loads(pickle.dumps(merged)).partial_fit(["attack news"])
    one = ts.TfidfVectorizer().fit(["cyber attack", "quad summit", "cyber", "attack news"])
    assert_fitted_alike(again, one, ["cyber attack news"])
    assert clone(again).get_params() == one.get_params()
