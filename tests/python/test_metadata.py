"""Issue 20, item 1: dates and titles read from pages, URLs and tables; kept by Explorer.fit as metadata_."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import themescope as ts
from themescope.metadata import UnparsedDateWarning, date_from_url, html_metadata, parse_dates

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Sommet du Quad | Journal Exemple</title>
<meta property="og:title" content="Le Quad renforce sa coopération">
<meta property="og:site_name" content="Journal Exemple">
<meta property="article:published_time" content="2021-09-24T18:30:00+02:00">
</head><body><article><h1>Le Quad renforce sa coopération</h1>
<p>Les dirigeants des États-Unis, du Japon, de l’Inde et de l’Australie se sont réunis samedi
pour annoncer une alliance renforcée contre les cyberattaques visant les infrastructures critiques.</p>
</article></body></html>
"""
PAGE_WITHOUT_METADATA = "<html><body><p>Une page sans titre ni date, seulement du texte.</p></body></html>"
PAGE_WITH_DATED_URL = """<html><head><link rel="canonical" href="https://news.example/2019/01/12/acte-ix">
</head><body><p>Acte IX des gilets jaunes dans plusieurs villes.</p></body></html>"""


# ---- parsing dates ----

def test_dates_in_common_formats_and_languages_are_parsed_to_naive_utc() -> None:
    values = ["2019-01-19", "Sat, Mar 23, 2019, 06:01", "Fri 7 Dec 2018", "17 novembre 2018",
              "2018-11-17T10:00:00+01:00", pd.Timestamp("2019-02-01 12:00", tz="America/New_York")]
    parsed = parse_dates(values)
    assert parsed.dtype == "datetime64[ns]"
    assert parsed.tolist() == [pd.Timestamp("2019-01-19"), pd.Timestamp("2019-03-23 06:01"),
                               pd.Timestamp("2018-12-07"), pd.Timestamp("2018-11-17"),
                               pd.Timestamp("2018-11-17 09:00"), pd.Timestamp("2019-02-01 17:00")]


def test_missing_dates_are_nat_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parsed = parse_dates(pd.Series([None, float("nan"), "", "  ", "2019-01-01"], index=list("abcde")))
    assert parsed.isna().tolist() == [True, True, True, True, False]
    assert parsed.index.tolist() == list("abcde")


def test_unparseable_dates_are_kept_as_nat_and_named_in_a_warning() -> None:
    # relative dates and dates without a day would depend on the day the corpus is read: not guessed
    values = ["about 9 hours ago", "2019-01-01", "March 2019", "n/a", "yesterday"]
    with pytest.warns(UnparsedDateWarning, match=r"4 of 5 .*'about 9 hours ago'.*'March 2019'") as caught:
        parsed = parse_dates(values)
    assert len(caught) == 1 and caught[0].filename == __file__
    assert len(parsed) == 5
    assert parsed.isna().tolist() == [True, False, True, True, True]


def test_dates_in_urls_by_htmldate() -> None:
    assert date_from_url("https://www.journaldemontreal.com/2018/11/17/gilets-jaunes-x") == pd.Timestamp("2018-11-17")
    assert date_from_url("https://www.irishtimes.com/news/world/europe/x-1.3712345") is None
    assert date_from_url(None) is None


def test_html_metadata_title_date_site_and_url() -> None:
    meta = html_metadata(PAGE)
    assert meta["title"] == "Le Quad renforce sa coopération"
    assert meta["date"] == pd.Timestamp("2021-09-24")
    assert meta["outlet"] == "Journal Exemple"
    assert html_metadata(PAGE_WITHOUT_METADATA)["date"] is None
    assert html_metadata(PAGE_WITH_DATED_URL)["date"] == pd.Timestamp("2019-01-12")
    assert html_metadata("   ") == {"title": None, "date": None, "outlet": None, "url": None}


# ---- read_corpus ----

def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_read_corpus_gives_html_pages_title_and_date(tmp_path: Path) -> None:
    write(tmp_path / "a.html", PAGE)
    write(tmp_path / "b.html", PAGE_WITHOUT_METADATA)
    write(tmp_path / "c.html", PAGE_WITH_DATED_URL)
    write(tmp_path / "d.txt", "Un article en texte, sans métadonnées.")
    corpus = ts.read_corpus(tmp_path)
    assert corpus.columns.tolist() == ["id", "text", "path", "title", "date"]
    assert corpus["date"].dtype == "datetime64[ns]"
    assert corpus["title"].tolist()[0] == "Le Quad renforce sa coopération"
    assert pd.isna(corpus["title"].iloc[3])  # a text file has no title
    assert corpus["date"].tolist()[0] == pd.Timestamp("2021-09-24")
    assert pd.isna(corpus["date"].iloc[1]) and pd.isna(corpus["date"].iloc[3])
    assert corpus["date"].iloc[2] == pd.Timestamp("2019-01-12")


def test_read_corpus_of_text_files_has_no_metadata_columns(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Premier article.")
    assert ts.read_corpus(tmp_path).columns.tolist() == ["id", "text", "path"]


def test_table_date_and_title_columns_default_and_named(tmp_path: Path) -> None:
    write(tmp_path / "news.csv", "id,text,date,title,outlet\n"
          "1,Premier article,2019-01-19,Acte X,La DH\n2,Second article,,,\n")
    corpus = ts.read_corpus(tmp_path / "news.csv")
    assert corpus.columns.tolist() == ["id", "text", "path", "title", "date", "outlet"]
    assert corpus["date"].tolist()[0] == pd.Timestamp("2019-01-19") and pd.isna(corpus["date"].iloc[1])
    assert corpus["title"].iloc[0] == "Acte X" and pd.isna(corpus["title"].iloc[1])

    write(tmp_path / "named.csv", "id,text,published,headline\n1,Un,17 novembre 2018,Le titre\n")
    named = ts.read_corpus(tmp_path / "named.csv", date_column="published", title_column="headline")
    assert named.columns.tolist() == ["id", "text", "path", "title", "date"]
    assert named["date"].iloc[0] == pd.Timestamp("2018-11-17")
    assert named["title"].iloc[0] == "Le titre"


def test_table_unknown_date_or_title_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "news.csv", "id,text,when\n1,Un article,2019-01-01\n")
    with pytest.raises(ValueError, match=r"no column 'published' for the dates .*'id', 'text', 'when'"):
        ts.read_corpus(path, date_column="published")
    with pytest.raises(ValueError, match=r"no column 'headline' for the titles"):
        ts.read_corpus(path, title_column="headline")
    with pytest.raises(TypeError, match="date_column must be a str"):
        ts.read_corpus(path, date_column=3)  # type: ignore[arg-type]
    both = write(tmp_path / "both.csv", "id,text,date,when\n1,Un article,2019-01-01,2019-01-02\n")
    with pytest.raises(ValueError, match=r"both a 'date' column and date_column='when'"):
        ts.read_corpus(both, date_column="when")


def test_table_unparseable_dates_are_reported_and_the_rows_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "news.jsonl",
                 '{"id": "a", "text": "Un", "date": "about 9 hours ago"}\n'
                 '{"id": "b", "text": "Deux", "date": "2019-03-23"}\n'
                 '{"id": "c", "text": "Trois", "date": null}\n')
    with pytest.warns(UnparsedDateWarning, match=re.escape("1 of 3 dates of") + r".*'about 9 hours ago'") as caught:
        corpus = ts.read_corpus(path)
    assert caught[0].filename == __file__  # it points at the call to read_corpus
    assert corpus["id"].tolist() == ["a", "b", "c"]
    assert corpus["date"].isna().tolist() == [True, False, True]


def test_table_dates_missing_are_taken_from_the_url(tmp_path: Path) -> None:
    path = write(tmp_path / "news.jsonl",
                 '{"id": "a", "text": "Un", "date": null, "url": "https://x.example/2018/12/08/acte-4"}\n'
                 '{"id": "b", "text": "Deux", "date": "2019-03-23", "url": "https://x.example/2018/12/08/y"}\n'
                 '{"id": "c", "text": "Trois", "date": null, "url": "https://x.example/about"}\n')
    corpus = ts.read_corpus(path)
    # the column's own date wins; the URL fills only what it leaves empty
    assert corpus["date"].tolist()[:2] == [pd.Timestamp("2018-12-08"), pd.Timestamp("2019-03-23")]
    assert pd.isna(corpus["date"].iloc[2])
    # a URL column alone gives the dates too
    only_urls = write(tmp_path / "urls.csv", "id,text,url\n1,Un,https://x.example/2018/11/17/a\n")
    assert ts.read_corpus(only_urls)["date"].tolist() == [pd.Timestamp("2018-11-17")]


# ---- Explorer.fit keeps the metadata ----

def test_fit_keeps_every_other_column_aligned_with_the_ids(news_sample: pd.DataFrame) -> None:
    frame = news_sample.copy().iloc[::-1].reset_index(drop=True)  # order of the frame, not of the ids
    ex = ts.Explorer().fit(frame)
    meta = ex.metadata_
    assert meta.index.tolist() == ex.ids_.tolist() == frame["id"].tolist()
    assert meta.columns.tolist() == ["title", "date", "outlet", "language"]
    assert meta["outlet"].tolist() == frame["outlet"].tolist()
    assert meta["date"].dtype == "datetime64[ns]"  # strings parsed once, here
    assert meta["language"].tolist() == ex.languages_.tolist()


def test_fit_on_a_list_keeps_only_the_language() -> None:
    articles = ts.datasets.load_sample_articles()
    ex = ts.Explorer().fit(articles.data, ids=articles.ids)
    assert ex.metadata_.columns.tolist() == ["language"]
    assert ex.metadata_.index.tolist() == list(articles.ids)


def test_a_table_language_column_is_kept_as_given(news_sample: pd.DataFrame) -> None:
    frame = news_sample.copy().assign(language=["xx"] * 5)
    assert ts.Explorer().fit(frame).metadata_["language"].tolist() == ["xx"] * 5


def test_per_article_results_carry_the_title_when_there_is_one(news_sample: pd.DataFrame) -> None:
    ex = ts.Explorer().fit(news_sample.copy())
    similar = ex.similar("000", k=2)
    assert similar.columns.tolist() == ["rank", "index", "id", "title", "score", "language", "shared_terms"]
    titles = dict(zip(ex.ids_, ex.metadata_["title"]))
    assert similar["title"].tolist() == [titles[i] for i in similar["id"]]
    top = ex.top_terms(2)
    assert top.columns.tolist() == ["document", "title", "rank", "term", "weight"]
    assert top.loc[top["document"] == "003", "title"].isna().tolist() == [True, True]
    found = ex.search("cyberattaques", k=1)
    assert found["title"].tolist() == ["Cyberattaques russes"]
    twice = pd.concat([news_sample.copy(), news_sample.copy().iloc[[2]].assign(id="002-copy")], ignore_index=True)
    copies = ts.Explorer().fit(twice).duplicates()
    assert copies[["id", "title"]].values.tolist() == [["002", "Quad summit: <cyber> pledge"],
                                                      ["002-copy", "Quad summit: <cyber> pledge"]]
    # without titles, the tables are as they were
    plain = ts.Explorer().fit(news_sample.copy().drop(columns="title"))
    assert "title" not in plain.similar("000", k=2).columns
    assert "title" not in plain.top_terms(2).columns


def test_unparseable_dates_in_a_fitted_frame_are_reported_and_kept(news_sample: pd.DataFrame) -> None:
    frame = news_sample.copy()
    frame.loc[1, "date"] = "about 9 hours ago"
    with pytest.warns(UnparsedDateWarning, match="'about 9 hours ago'") as caught:
        ex = ts.Explorer().fit(frame)
    assert caught[0].filename == __file__  # it points at the call to fit
    assert len(ex.metadata_) == 5
    assert np.isnat(ex.metadata_["date"].to_numpy()).tolist() == [False, True, False, False, True]
