"""The counted cross-language features against each document read on its own.

CrossLanguageFeatures counts documents natively, on every thread, with each worker
memoizing a word's cognate and n-gram features (and the counter's lookups) across the
documents it reads. The oracle is the plain path: ``features_of`` (the analyzer's ``features``) reads
one document with a fresh state, and a Python Counter per document, weighted by scikit-learn's
TfidfTransformer, must give the same matrix, bit for bit, at one and two threads.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

import themescope as ts

# Words repeated within and across documents and languages, elisions, names at and off
# sentence starts, numbers, acronyms, words shorter than min_word_length.
HAND = [
    "L’Inde et le Japon : 30.000 experts en cybersécurité à Tokyo. L’Inde accueille le Quad.",
    "India and Japan: 30,000 cybersecurity experts in Tokyo. India hosts the Quad summit.",
    "Les experts de l’OTAN et de l’UE parlent de cybersécurité, de cybersécurité encore.",
    "NATO and EU experts discuss cybersecurity; cybersecurity again, and again in Tokyo.",
]


def reference(texts: list[str], languages: list[str], xl: ts.CrossLanguageFeatures) -> tuple[list[str], sp.csr_array]:
    """Feature names and TF-IDF rows from the analyzer's features, one document at a time."""
    analyzer = xl._native()  # what features_of reads with, built once
    per_document = [Counter(feature for feature, _ in analyzer.features(text, language))
                    for text, language in zip(texts, languages)]
    names = sorted(set().union(*per_document))
    column = {name: k for k, name in enumerate(names)}
    rows, columns, counts = [], [], []
    for row, found in enumerate(per_document):
        for name, n in found.items():
            rows.append(row)
            columns.append(column[name])
            counts.append(float(n))
    matrix = sp.csr_array((counts, (rows, columns)), shape=(len(texts), len(names)))
    weighted = sp.csr_array(TfidfTransformer(sublinear_tf=True).fit_transform(matrix))
    weighted.sort_indices()
    return names, weighted


def assert_same_csr(actual: sp.csr_array, expected: sp.csr_array) -> None:
    assert isinstance(actual, sp.csr_array) and actual.shape == expected.shape
    actual = actual.copy()
    actual.sort_indices()
    np.testing.assert_array_equal(actual.indptr, expected.indptr)
    np.testing.assert_array_equal(actual.indices, expected.indices)
    np.testing.assert_array_equal(actual.data, expected.data)


def check_against_reference(texts: list[str], languages: list[str]) -> None:
    names, expected = reference(texts, languages, ts.CrossLanguageFeatures())
    saved = ts.get_num_threads()
    try:
        for threads in (1, 2):
            ts.set_num_threads(threads)
            xl = ts.CrossLanguageFeatures(min_df=1, min_languages=1)
            assert_same_csr(xl.fit_transform(texts, languages=languages), expected)
            assert xl.get_feature_names_out().tolist() == names
            assert_same_csr(xl.transform(texts, languages=languages), expected)
    finally:
        ts.set_num_threads(saved)


def test_hand_written_documents_count_as_read_one_by_one() -> None:
    check_against_reference(HAND * 3, ["fr", "en", "fr", "en"] * 3)


@pytest.mark.corpus
def test_gilets_jaunes_documents_count_as_read_one_by_one(corpora_dir: Path) -> None:
    path = corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    # French and English press, long enough for the counter to split the work between threads
    chosen = [r for r in records if r["lang"] == "fr"][:120] + [r for r in records if r["lang"] == "en"][:60]
    check_against_reference([r["text"] for r in chosen], [r["lang"] for r in chosen])
