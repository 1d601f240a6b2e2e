"""Type stubs for the private native module themescope._core."""

from collections.abc import Iterable
from typing import TypeAlias, type_check_only

import numpy as np
import numpy.typing as npt

icu_version: str

# Every bound class's metaclass is pybind11's (pybind11_builtins.pybind11_type): classes
# without a bound base say so, the others inherit it (checked by mypy.stubtest).
@type_check_only
class _pybind11_type(type): ...

def get_num_threads() -> int: ...
def set_num_threads(n: int) -> None: ...
def unicode_version() -> str: ...
def icu_is_assigned(code_point: int) -> bool: ...

# lexicon: stop word lists and Snowball stemming (register_lexicon.cpp)
def stop_words(language: str) -> list[str]: ...
def stop_word_languages() -> list[str]: ...
def normalize_stop_word(word: str) -> str: ...
def stem(words: list[str], language: str) -> list[str]: ...
def stemmer_languages() -> list[str]: ...

class DocumentAnalyzer(metaclass=_pybind11_type): ...

class TextAnalyzer(DocumentAnalyzer):
    def __init__(
        self,
        *,
        kind: str = "word",
        lowercase: bool = True,
        strip_accents: str | None = None,
        min_token_length: int = 2,
        ngram_range: tuple[int, int] = (1, 1),
        stop_words: list[str] | None = None,
    ) -> None: ...
    def __call__(self, text: str) -> list[str]: ...

class TermCounter(metaclass=_pybind11_type):
    def __init__(self, analyzer: DocumentAnalyzer, vocabulary: list[str] | None = None) -> None: ...
    def add_documents(self, documents: list[str], languages: list[str] | None = None) -> None: ...
    def add_analyzed_documents(self, documents: Iterable[Iterable[str]]) -> None: ...
    @property
    def n_documents(self) -> int: ...
    @property
    def vocabulary_size(self) -> int: ...
    @property
    def nnz(self) -> int: ...
    def sort_vocabulary(self) -> None: ...
    def sort_terms_with_names(
        self,
    ) -> tuple[list[str], npt.NDArray[np.int32], npt.NDArray[np.int64]]: ...
    def release_terms(self) -> None: ...
    def document_frequencies(self) -> npt.NDArray[np.int64]: ...
    def term_frequencies(self) -> npt.NDArray[np.int64]: ...
    def entries(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]: ...
    def keep_columns(self, kept: npt.ArrayLike) -> None: ...
    def feature_names(self) -> list[str]: ...
    def display_forms(self) -> list[str]: ...
    def display_forms_by_language(self) -> dict[str, dict[int, str]]: ...
    def display_forms_with_languages(self) -> tuple[list[str], dict[str, dict[int, str]]]: ...
    def surface_counts(self) -> tuple[npt.NDArray[np.int32], list[str], list[str], npt.NDArray[np.int64]]: ...
    def take_matrix(
        self,
        dtype: str = "int64",
        binary: bool = False,
        *,
        weigh: bool = False,
        idf: npt.NDArray[np.floating] | None = None,
        sublinear_tf: bool = False,
        norm: str | None = None,
    ) -> MatrixBuffers: ...
    def start_take_matrix(
        self,
        dtype: str = "int64",
        binary: bool = False,
        *,
        weigh: bool = False,
        idf: npt.NDArray[np.floating] | None = None,
        sublinear_tf: bool = False,
        norm: str | None = None,
    ) -> PendingMatrix: ...

# (data, indices, indptr, shape) of a CSR matrix
MatrixBuffers: TypeAlias = tuple[
    npt.NDArray[np.generic], npt.NDArray[np.integer], npt.NDArray[np.integer], tuple[int, int]
]

class PendingMatrix(metaclass=_pybind11_type):
    def result(self) -> MatrixBuffers: ...

def vocabulary_dict_of(names: list[str], columns: npt.ArrayLike) -> dict[str, int]: ...
def document_frequency(indices: npt.ArrayLike, n_features: int) -> npt.NDArray[np.int64]: ...
def inverse_document_frequency(
    df: npt.ArrayLike, n_documents: int, smooth: bool, dtype: str = "float64"
) -> npt.NDArray[np.floating]: ...
def tfidf_in_place(
    data: npt.NDArray[np.floating],
    indices: npt.NDArray[np.integer],
    indptr: npt.NDArray[np.integer],
    n_cols: int,
    idf: npt.NDArray[np.floating] | None,
    sublinear_tf: bool,
    norm: str | None,
) -> None: ...

def detect_language(text: str) -> str: ...
def detect_languages(
    documents: list[str] | tuple[str, ...], first_index: int = 0, short_sample: bool = False
) -> list[str]: ...

def boilerplate_recurring_lines(documents: list[str] | tuple[str, ...], min_documents: int) -> list[str]: ...
def boilerplate_clean(
    documents: list[str] | tuple[str, ...],
    languages: list[str] | tuple[str, ...],
    recurring: Iterable[str],
    *,
    length_low: float,
    length_high: float,
    stopwords_low: float,
    stopwords_high: float,
    max_link_density: float,
    max_short_run: int,
    max_heading_distance: int,
    max_removed_share: float,
) -> tuple[
    list[str], npt.NDArray[np.int64], npt.NDArray[np.int64], list[str], list[str], npt.NDArray[np.int64]
]: ...


class MultilingualAnalyzer(DocumentAnalyzer):
    def __init__(
        self,
        *,
        language: str = "auto",
        custom_stop_words: list[str] | None = None,
        language_stop_words: bool = True,
        elision: bool = True,
        stem: bool = True,
        numbers: str = "keep",
        min_token_length: int = 2,
        ngram_range: tuple[int, int] = (1, 1),
        fold_accents: bool = False,
        phrases: list[tuple[str, str]] | None = None,
        phrase_keeps_words: bool = False,
        headline_weight: int = 1,
        phrase_terms: dict[tuple[str, str], str] | None = None,
    ) -> None: ...
    def __call__(self, text: str) -> list[str]: ...
    def language_of(self, text: str) -> str: ...
    def explain(self, text: str) -> dict[str, list[str | None]]: ...
    @property
    def phrases(self) -> list[tuple[str, str]]: ...
    def linked_tokens(self, text: str, language: str = "") -> list[tuple[str, str, str, str]]: ...

def count_phrases(
    analyzer: MultilingualAnalyzer,
    documents: object,
    *,
    languages: object = None,
    min_count: int = 2,
    min_documents: int = 2,
    threshold: float = 0.5,
    name_threshold: float = 0.25,
    name_min_documents: int = 1,
) -> tuple[dict[str, list[str] | npt.NDArray[np.generic]], int]: ...


# crosslang: language-independent features (register_crosslang.cpp)
class CrossLanguageAnalyzer(DocumentAnalyzer):
    def __init__(
        self,
        *,
        language: str = "auto",
        names: bool = True,
        numbers: bool = True,
        acronyms: bool = True,
        cognates: bool = True,
        ngrams: bool = False,
        cognate_prefix: int = 7,
        min_word_length: int = 4,
        ngram_range: tuple[int, int] = (4, 5),
        display_forms: bool = True,
    ) -> None: ...
    def features(self, text: str, language: str = "") -> list[tuple[str, str]]: ...

# clustering: spherical k-means (register_clustering.cpp)
def spherical_kmeans(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.integer], indptr: npt.NDArray[np.integer], n_cols: int,
    n_clusters: int, first_rows: npt.ArrayLike, uniforms: npt.ArrayLike, n_local_trials: int, max_iter: int,
    tol: float,
) -> dict[str, object]: ...
def spherical_kmeans_from(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.integer], indptr: npt.NDArray[np.integer], n_cols: int,
    init: npt.ArrayLike, max_iter: int, tol: float,
) -> dict[str, object]: ...
def spherical_kmeans_batch(
    problems: list[tuple[object, ...]], max_iter: int, tol: float,
) -> list[dict[str, object]]: ...
def dense_spherical_kmeans_batch(
    problems: list[tuple[object, ...]], max_iter: int, tol: float,
) -> list[dict[str, object]]: ...
def kmeans_plus_plus(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.integer], indptr: npt.NDArray[np.integer], n_cols: int,
    n_clusters: int, first_row: int, uniforms: npt.ArrayLike, n_local_trials: int,
) -> npt.NDArray[np.int64]: ...
def cosine_similarities(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.integer], indptr: npt.NDArray[np.integer], n_cols: int,
    centers: npt.ArrayLike,
) -> npt.NDArray[np.float64]: ...
def assign_to_centroids(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.integer], indptr: npt.NDArray[np.integer], n_cols: int,
    centers: npt.ArrayLike,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]: ...

# decomposition: the randomized SVD's products (register_decomposition.cpp)
def sparse_times_dense(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.integer], indptr: npt.NDArray[np.integer], n_cols: int,
    dense: npt.ArrayLike, *, check: bool = True,
) -> npt.NDArray[np.float64]: ...
def permuted_lu_in_place(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...
def cholesky_qr2(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64] | None: ...
def transpose_csr(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.integer], indptr: npt.NDArray[np.integer], n_cols: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...

# similarity: top-k dot products of sparse rows (register_similarity.cpp)
def top_k_similar(
    data: npt.NDArray[np.floating],
    indices: npt.NDArray[np.integer],
    indptr: npt.NDArray[np.integer],
    shape: tuple[int, int],
    queries: tuple[
        npt.NDArray[np.floating], npt.NDArray[np.integer], npt.NDArray[np.integer], tuple[int, int]
    ]
    | None,
    k: int,
    threshold: float | None,
    exclude_self: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]: ...

# search: BM25 (Lucene's formula) and an inverted index (register_search.cpp); CSR buffers are
# float64 data and int64 indices/indptr
def bm25_statistics(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.int64], indptr: npt.NDArray[np.int64],
    shape: tuple[int, int],
) -> tuple[npt.NDArray[np.float64], float, int]: ...
def bm25_weights(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.int64], indptr: npt.NDArray[np.int64],
    shape: tuple[int, int], idf: npt.NDArray[np.float64], average_length: float, n_documents: int,
    k1: float, b: float,
) -> npt.NDArray[np.float64]: ...

def bm25_group_document_frequencies(
    data: npt.NDArray[np.float64], indices: npt.NDArray[np.int64], indptr: npt.NDArray[np.int64],
    shape: tuple[int, int], groups: npt.NDArray[np.int32], n_groups: int,
) -> npt.NDArray[np.int64]: ...

class InvertedIndex(metaclass=_pybind11_type):
    def __init__(
        self, data: npt.NDArray[np.float64], indices: npt.NDArray[np.int64], indptr: npt.NDArray[np.int64],
        shape: tuple[int, int],
    ) -> None: ...
    @staticmethod
    def from_postings(
        data: npt.NDArray[np.float64], indices: npt.NDArray[np.int64], indptr: npt.NDArray[np.int64],
        shape: tuple[int, int],
    ) -> InvertedIndex: ...
    def postings(
        self,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.int64], tuple[int, int]]: ...
    def search(
        self, data: npt.NDArray[np.float64], indices: npt.NDArray[np.int64], indptr: npt.NDArray[np.int64],
        shape: tuple[int, int], k: int,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]: ...
    @property
    def n_documents(self) -> int: ...
    @property
    def n_terms(self) -> int: ...
