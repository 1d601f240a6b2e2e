"""`python -m themescope`: top terms of each bundled sample article."""

from __future__ import annotations

import numpy as np

import themescope as ts


def main(n_terms: int = 10) -> None:
    articles = ts.datasets.load_sample_articles()
    vectorizer = ts.TfidfVectorizer(sublinear_tf=True)
    X = vectorizer.fit_transform(articles.data).tocsr()
    terms = vectorizer.get_feature_names_out()
    print(f"themescope {ts.__version__}: {X.shape[0]} sample articles, {X.shape[1]} terms, "
          f"{ts.get_num_threads()} threads\n")
    for row, article_id in enumerate(articles.ids):
        start, end = X.indptr[row], X.indptr[row + 1]
        weights, columns = X.data[start:end], X.indices[start:end]
        best = np.lexsort((columns, -weights))[:n_terms]  # by weight, ties by term
        top = ", ".join(f"{terms[columns[k]]} ({weights[k]:.2f})" for k in best)
        print(f"{article_id}: {top}")


if __name__ == "__main__":
    main()
