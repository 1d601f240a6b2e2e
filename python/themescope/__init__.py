"""themescope: explore themes across collections of news articles.

The vectorizers are drop-in replacements for scikit-learn's, with a native,
multi-threaded core:

>>> import themescope as ts
>>> X = ts.TfidfVectorizer().fit_transform(["Cyber alliances", "cyber security"])
>>> X.shape
(2, 3)

Per-language resources for multilingual text, stop words and Snowball stems:

>>> ts.stem(["alliances", "manifestations"], "fr")
['allianc', 'manifest']

and each document's language is identified natively too:

>>> ts.detect_language("Les gilets jaunes ont manifesté samedi à Paris et à Bruxelles.")
'fr'

Scraped articles lose what is not the article (sign-up blocks, comment forms,
"related" lists) with :class:`BoilerplateRemover`, a scikit-learn transformer.
"""

from __future__ import annotations

from . import _native

_native.load(__name__)  # the build of the native core for this processor, before any module imports it

from . import datasets, lexicon
from ._threads import get_num_threads, set_num_threads
from .lexicon import STEMMER_LANGUAGES, STOP_WORD_LANGUAGES, stem, stop_words
from .analysis import Analyzer
from .phrases import Phrases
from .corpus import read_corpus
from .boilerplate import BoilerplateRemover
from .crosslang import CognateKeys, CrossLanguageFeatures, cross_language_vectors
from .language import detect_language, detect_languages
from .text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from .incremental import merge_vectorizers
from .cluster import SphericalKMeans, choose_n_clusters
from .similarity import top_k_similar
from .search import BM25Transformer
from .explorer import Clustering, Explorer

from ._version import __version__

__all__ = [
    "Analyzer",
    "BM25Transformer",
    "BoilerplateRemover",
    "Clustering",
    "CountVectorizer",
    "CognateKeys",
    "CrossLanguageFeatures",
    "Explorer",
    "Phrases",
    "STEMMER_LANGUAGES",
    "STOP_WORD_LANGUAGES",
    "SphericalKMeans",
    "TfidfTransformer",
    "TfidfVectorizer",
    "cross_language_vectors",
    "choose_n_clusters",
    "datasets",
    "detect_language",
    "detect_languages",
    "get_num_threads",
    "lexicon",
    "merge_vectorizers",
    "read_corpus",
    "set_num_threads",
    "stem",
    "stop_words",
    "top_k_similar",
    "__version__",
]
