"""`python -m themescope`: clean the bundled sample articles, then show each one's top terms."""

from __future__ import annotations

import numpy as np

import themescope as ts


def main(n_terms: int = 10) -> None:
    articles = ts.datasets.load_sample_articles()
    remover = ts.BoilerplateRemover()
    cleaned = remover.fit_transform(articles.data, ids=articles.ids)
    report = remover.report_
    print(f"themescope {ts.__version__}: {len(articles.data)} sample articles, {ts.get_num_threads()} threads\n")
    print("Boilerplate removed (sign-up blocks, comment forms, lists; see BoilerplateRemover.report_):")
    for row, article_id in enumerate(articles.ids):
        removed = report[report.document == row]
        words_before, words_after = len(articles.data[row].split()), len(cleaned[row].split())
        reasons = ", ".join(f"{reason} {count}" for reason, count in removed.reason.value_counts().sort_index().items())
        print(f"  {article_id}: {len(removed):3d} lines, {words_before - words_after:4d} of {words_before:4d} words"
              + (f" ({reasons})" if reasons else ""))

    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)
    X = vectorizer.fit_transform(cleaned).tocsr()
    terms = vectorizer.get_feature_names_out(display=True)
    languages = ts.detect_languages(cleaned)
    print(f"\nTop terms of the cleaned articles ({X.shape[1]} terms, language per article, stems shown as words):")
    for row, article_id in enumerate(articles.ids):
        start, end = X.indptr[row], X.indptr[row + 1]
        weights, columns = X.data[start:end], X.indices[start:end]
        best = np.lexsort((columns, -weights))[:n_terms]  # by weight, ties by term
        top = ", ".join(f"{terms[columns[k]]} ({weights[k]:.2f})" for k in best)
        print(f"  {article_id} [{languages[row]}]: {top}")


if __name__ == "__main__":
    main()
