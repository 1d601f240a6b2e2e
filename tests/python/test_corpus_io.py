"""ts.read_corpus: folders, globs and tables; ids; UTF-8 policy; HTML to article text."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

import themescope as ts
from themescope.corpus import InvalidUTF8Warning, html_to_text

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Sommet du Quad</title></head>
<body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/newsletter">Abonnez-vous à notre newsletter</a></li></ul></nav>
<article>
<h1>Le Quad renforce sa coopération en cybersécurité</h1>
<p>Les dirigeants des États-Unis, du Japon, de l’Inde et de l’Australie se sont réunis samedi
pour annoncer une alliance renforcée contre les cyberattaques visant les infrastructures critiques.</p>
<p>Selon le communiqué commun, les quatre pays partageront davantage de renseignements sur les
menaces et coordonneront leurs réponses aux rançongiciels, un fléau qui a coûté 30.000 emplois.</p>
<p>Les experts saluent une avancée, tout en rappelant que la mise en œuvre prendra plusieurs années
et que les moyens financiers restent à préciser par chacun des gouvernements concernés.</p>
</article>
<footer><p>© 2021 Journal Exemple — Mentions légales — Politique de cookies</p></footer>
<script>console.log("tracking")</script>
</body></html>
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    write(root / "b.txt", "Deuxième article, en texte.")
    write(root / "a.md", "# Premier\n\nArticle en *Markdown*.")
    write(root / "world" / "europe" / "c.html", ARTICLE_HTML)
    write(root / "world" / "d.HTM", "<html><body><p>Short page</p></body></html>")
    write(root / "notes.pdf", b"%PDF-1.4 not a document type we read")
    write(root / ".hidden.txt", "hidden file")
    write(root / ".git" / "e.txt", "inside a hidden folder")
    return root


def test_folder_is_read_recursively_in_path_order_with_ids_from_relative_paths(folder: Path) -> None:
    corpus = ts.read_corpus(folder)
    # HTML pages give a title and a date (issue 20): the folder has two, so the columns are there
    assert list(corpus.columns) == ["id", "text", "path", "title", "date"]
    assert corpus["id"].tolist() == ["a", "b", "world/d", "world/europe/c"]
    assert corpus["text"].iloc[0] == "# Premier\n\nArticle en *Markdown*."
    assert corpus["text"].iloc[1] == "Deuxième article, en texte."
    assert corpus["path"].iloc[3] == str(folder / "world" / "europe" / "c.html")
    # sample of the same frame through str paths
    assert ts.read_corpus(str(folder)).equals(corpus)


def test_html_becomes_the_article_text_without_navigation_footer_or_script(folder: Path) -> None:
    corpus = ts.read_corpus(folder).set_index("id")
    article = corpus.loc["world/europe/c", "text"]
    assert "Les dirigeants des États-Unis, du Japon, de l’Inde" in article
    assert "rançongiciels, un fléau qui a coûté 30.000 emplois" in article
    for boilerplate in ("Accueil", "newsletter", "Mentions légales", "tracking", "<p>", "</"):
        assert boilerplate not in article
    # a page without article structure keeps its text rather than coming back empty
    assert corpus.loc["world/d", "text"] == "Short page"


def test_html_to_text_of_blank_page_is_empty() -> None:
    assert html_to_text("   ") == ""


def test_sample_articles_folder_reads_as_the_bundled_dataset() -> None:
    articles = ts.datasets.load_sample_articles()
    corpus = ts.read_corpus(Path(articles.filenames[0]).parent)
    assert corpus["text"].tolist() == articles.data
    assert [i.split("_")[0] for i in corpus["id"]] == articles.ids


def test_single_file_is_a_corpus_of_one(folder: Path) -> None:
    corpus = ts.read_corpus(folder / "b.txt")
    assert corpus["id"].tolist() == ["b"]
    assert corpus["text"].tolist() == ["Deuxième article, en texte."]


def test_glob_ids_are_relative_to_the_fixed_part_of_the_pattern(folder: Path) -> None:
    corpus = ts.read_corpus(str(folder / "**" / "*.[hH]*"))  # globs are case-sensitive
    assert corpus["id"].tolist() == ["world/d", "world/europe/c"]
    only_top = ts.read_corpus(str(folder / "*.txt"))
    assert only_top["id"].tolist() == ["b"]  # no recursion without **, hidden files not matched


def test_same_stem_with_two_suffixes_keeps_suffixes_in_ids(tmp_path: Path) -> None:
    write(tmp_path / "x.txt", "one")
    write(tmp_path / "x.md", "two")
    assert ts.read_corpus(tmp_path)["id"].tolist() == ["x.md", "x.txt"]


def test_jsonl_with_id_and_text_columns_keeps_other_columns(tmp_path: Path) -> None:
    rows = [
        {"id": "gj1", "lang": "fr", "text": "Les gilets jaunes manifestent."},
        {"id": "gj2", "lang": "en", "text": "Yellow vests protest again."},
    ]
    path = write(tmp_path / "c.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    corpus = ts.read_corpus(path)
    assert list(corpus.columns) == ["id", "text", "path", "lang"]
    assert corpus["id"].tolist() == ["gj1", "gj2"]
    assert corpus["lang"].tolist() == ["fr", "en"]
    assert corpus["text"].iloc[0] == "Les gilets jaunes manifestent."


def test_csv_with_named_columns_and_numeric_ids_as_strings(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", 'doc,body,label\n7,"Premier, avec virgule",a\n12,Second,b\n')
    corpus = ts.read_corpus(path, text_column="body", id_column="doc")
    assert corpus["id"].tolist() == ["7", "12"]
    assert corpus["text"].tolist() == ["Premier, avec virgule", "Second"]
    assert corpus["label"].tolist() == ["a", "b"]


def test_tsv_without_id_column_numbers_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "c.tsv", "text\tsource\nPremier texte\tx\nSecond, texte\ty\n")
    corpus = ts.read_corpus(path)
    assert corpus["id"].tolist() == ["0", "1"]
    assert corpus["text"].tolist() == ["Premier texte", "Second, texte"]


def test_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"id": ["p1", "p2"], "text": ["un", "deux"], "year": [2019, 2020]})
    frame.to_parquet(tmp_path / "c.parquet")
    corpus = ts.read_corpus(tmp_path / "c.parquet")
    assert corpus["id"].tolist() == ["p1", "p2"]
    assert corpus["text"].tolist() == ["un", "deux"]
    assert corpus["year"].tolist() == [2019, 2020]


def test_missing_columns_are_named_with_the_columns_there_are(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "title,body\nx,y\n")
    with pytest.raises(ValueError, match=r"no column 'text' .*'title', 'body'"):
        ts.read_corpus(path)
    with pytest.raises(ValueError, match=r"no column 'key' for the ids"):
        ts.read_corpus(path, text_column="body", id_column="key")


def test_rows_without_text_are_an_error_not_a_dropped_row(tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", '{"id": "a", "text": "ok"}\n{"id": "b", "text": null}\n')
    with pytest.raises(ValueError, match=r"no text in rows \[1\]"):
        ts.read_corpus(path)


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "id,text\na,x\nb,y\na,z\n")
    with pytest.raises(ValueError, match=r"not unique.*\['a'\]"):
        ts.read_corpus(path)


def test_invalid_utf8_warns_naming_the_file_and_policy_and_replaces(tmp_path: Path) -> None:
    bad = write(tmp_path / "latin1.txt", "Café crème à Paris".encode("latin-1"))
    write(tmp_path / "good.txt", "Café")
    with pytest.warns(InvalidUTF8Warning, match=r"latin1\.txt is not valid UTF-8 \(byte 0xe9 at offset 3\); "
                                                  r"decoded with errors='replace'"):
        corpus = ts.read_corpus(tmp_path)
    texts = dict(zip(corpus["id"], corpus["text"]))
    assert texts["latin1"] == "Caf\ufffd cr\ufffdme \ufffd Paris"  # every bad byte visible, none dropped
    assert texts["good"] == "Café"
    assert bad.exists()


def test_invalid_utf8_under_strict_raises_naming_the_file(tmp_path: Path) -> None:
    write(tmp_path / "latin1.txt", "Café".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError, match=r"latin1\.txt is not valid UTF-8"):
        ts.read_corpus(tmp_path, encoding_errors="strict")


def test_invalid_utf8_in_a_table_warns_too(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "id,text\na,".encode() + "Noël".encode("latin-1") + b"\n")
    with pytest.warns(InvalidUTF8Warning, match=r"c\.csv is not valid UTF-8"):
        corpus = ts.read_corpus(path, encoding_errors="backslashreplace")
    assert corpus["text"].tolist() == ["No\\xebl"]


def test_unknown_policy_is_rejected(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    with pytest.raises(ValueError, match=r"encoding_errors must be one of .* got 'lenient'"):
        ts.read_corpus(tmp_path, encoding_errors="lenient")


def test_missing_and_empty_inputs(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no such file or directory: .*nowhere"):
        ts.read_corpus(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match=r"no file matches .*\*\.txt"):
        ts.read_corpus(str(tmp_path / "*.txt"))
    write(tmp_path / "notes.pdf", b"%PDF")
    with pytest.raises(ValueError, match=r"no documents under"):
        ts.read_corpus(tmp_path)
    with pytest.raises(ValueError, match=r"unsupported file type '\.pdf'"):
        ts.read_corpus(tmp_path / "notes.pdf")
    with pytest.raises(ValueError, match=r"no documents in .*empty\.csv: the file is empty"):
        ts.read_corpus(write(tmp_path / "empty.csv", ""))
    with pytest.raises(ValueError, match=r"no documents in .*header\.csv"):
        ts.read_corpus(write(tmp_path / "header.csv", "id,text\n"))


@pytest.mark.corpus
def test_bbc_folder_reads_all_articles_and_names_the_latin1_one(corpora_dir: Path) -> None:
    root = corpora_dir / "bbc_news_en" / "bbc"
    with pytest.warns(InvalidUTF8Warning) as caught:
        corpus = ts.read_corpus(str(root / "*" / "*.txt"))  # not the folder's README.TXT
    assert len(corpus) == 2225
    assert corpus["id"].iloc[0] == "business/001"
    assert [str(w.message).split(" is not")[0] for w in caught] == [str(root / "sport" / "199.txt")]
    assert "\ufffd" in corpus.set_index("id").loc["sport/199", "text"]


@pytest.mark.corpus
def test_gilets_jaunes_jsonl(corpora_dir: Path) -> None:
    from themescope.metadata import UnparsedDateWarning

    # its dates are free-form strings; a few are relative ("about 9 hours ago"): reported, kept as NaT
    with pytest.warns(UnparsedDateWarning, match=r"12 of 3112 dates .*'about 9 hours ago'"):
        corpus = ts.read_corpus(corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl")
    assert len(corpus) == 3112
    # 388 rows have a date string, 376 of them parsed; URLs like /2018/11/17/ give 139 more
    assert int(corpus["date"].notna().sum()) == 515
    assert corpus["date"].min() >= pd.Timestamp("2011-01-01") and corpus["date"].max() <= pd.Timestamp("2019-04-30")
    assert corpus["lang"].value_counts().to_dict() == {"fr": 2691, "en": 421}
    assert corpus["id"].is_unique


def test_docstring_examples() -> None:
    import doctest

    import themescope.corpus

    failures, tried = doctest.testmod(themescope.corpus, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


# ---- features in extras: without the extra, an ImportError names the pip install line ----
# A name mapped to None in sys.modules cannot be imported: the package is "not installed".


def test_html_without_the_html_extra_names_its_pip_install_line(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'themescope[html]'")):
        ts.read_corpus(folder)
    with pytest.raises(ImportError, match=re.escape("pip install 'themescope[html]'")):
        html_to_text(ARTICLE_HTML)
    # Text and Markdown need no extra.
    write(tmp_path / "plain" / "a.txt", "Un article en texte.")
    assert ts.read_corpus(tmp_path / "plain")["text"].tolist() == ["Un article en texte."]


def test_parquet_without_the_parquet_extra_names_its_pip_install_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pd.DataFrame({"id": ["p1"], "text": ["un"]}).to_parquet(tmp_path / "c.parquet")
    for engine in ("pyarrow", "pyarrow.parquet", "fastparquet"):
        monkeypatch.setitem(sys.modules, engine, None)
    with pytest.raises(ImportError, match=re.escape("pip install 'themescope[parquet]'")) as raised:
        ts.read_corpus(tmp_path / "c.parquet")
    assert "c.parquet" in str(raised.value)
    # Other tables need no extra.
    write(tmp_path / "c.csv", "id,text\np1,un\n")
    assert ts.read_corpus(tmp_path / "c.csv")["text"].tolist() == ["un"]
