"""BoilerplateRemover: what it removes from the sample articles and real corpora, and what it keeps.

The expectations on the bundled sample articles were labelled by hand, line by line, from
reading the five files: which lines are the article (title and body), which are boilerplate
(sign-up blocks, comment forms, podcast and job lists, "read also" links), and which may go
either way (captions, credits, author notes). The remover itself knows no phrase; only these
tests name the lines. Corpus tests (``@pytest.mark.corpus``) measure the share of words
removed from BBC News (clean text) and the gilets jaunes press corpus (scraped, messy) and
log examples of what went.
"""

from __future__ import annotations

import json
import logging
import pickle
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

import themescope as ts
from themescope._boilerplate_reference import ReferenceBoilerplateRemover
from themescope.lexicon import normalize_stop_word

log = logging.getLogger(__name__)

REPORT_COLUMNS = ["document", "id", "line", "text", "reason", "language"]

# ============================================================== helpers


def kept_lines(raw: str, report: pd.DataFrame, document: int) -> list[str]:
    """The non-blank lines of ``raw`` that ``report`` does not list as removed, in order."""
    removed = set(report.loc[report.document == document, "line"])
    return [line for i, line in enumerate(raw.split("\n")) if line.strip() and i not in removed]


def assert_output_matches_report(raw: Sequence[str], out: Sequence[str], report: pd.DataFrame) -> None:
    """Every output is its input minus exactly the reported lines (blank lines aside)."""
    assert len(out) == len(raw)
    assert list(report.columns) == REPORT_COLUMNS
    for d, (before, after) in enumerate(zip(raw, out)):
        assert [line for line in after.split("\n") if line.strip()] == kept_lines(before, report, d), d
        rows = report[report.document == d]
        lines = before.split("\n")
        assert list(rows.line) == sorted(set(rows.line)), "one row per line, in line order"
        assert all(lines[i] == text and text.strip() for i, text in zip(rows.line, rows.text))
        if rows.empty:
            assert after == before, "a document with nothing removed comes back unchanged"


def top_terms(texts: Sequence[str], n: int = 10) -> list[list[tuple[str, str]]]:
    """Each text's n best terms (term, display form) by TF-IDF, ties by term."""
    vectorizer = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto"), sublinear_tf=True)
    X = vectorizer.fit_transform(texts).tocsr()
    terms = vectorizer.get_feature_names_out()
    shown = vectorizer.get_feature_names_out(display=True)
    top = []
    for row in range(X.shape[0]):
        start, end = X.indptr[row], X.indptr[row + 1]
        weights, columns = X.data[start:end], X.indices[start:end]
        best = np.lexsort((columns, -weights))[:n]
        top.append([(str(terms[columns[k]]), str(shown[columns[k]])) for k in best])
    return top


# ============================================================== the sample articles (issue acceptance 1)

# Line numbers (0-based, in text.split("\n")) labelled by hand. BODY: must be kept;
# BOILERPLATE: must be removed; the other non-blank lines may go either way.
BODY = {
    "000": [0, 2, 4, 6, 8, 10],
    "001": [0, 6, 8, 10, 12, 14, 16, 18],
    "002": [0, 2, 4, 6, 8, 10, 12, 14],
    "003": [2, 4, 6, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 36],
    "004": [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26],
}
BOILERPLATE = {
    "000": list(range(12, 20)),  # the newsletter sign-up block, printed twice
    "001": [2, 4, 22, 24],  # the title again, "Nœud source: …", "Horodatage:", "Plus de Actualités …"
    "002": [16, 22, 23],  # the WhatsApp/Telegram prompt, "error: Content is protected !!", "Share This"
    "003": [8, 34, 38, 40, 42],  # two "Lire aussi : …" links, the comment form
    "004": [3] + list(range(30, 107)),  # the title again; newsletter, podcasts, jobs, tenders, "most read"
}  # (blank lines in these ranges are not checked)
# Either way: 001 line 20 (author note), 002 lines 18 and 20 (by-lines), 003 line 0 (a date),
# 004 line 28 (credits).

# Concrete sentences of each article's body that must survive, and boilerplate that must not.
BODY_SENTENCES = {
    "000": [
        "Joe Biden a profité de son voyage en Asie pour nouer une alliance cyber entre les États-Unis, "
        "le Japon, l’Inde et l’Australie.",
        "Dans une déclaration commune, les quatre dirigeants ont annoncé la création d’un partenariat de cybersécurité.",
        "Australie, États-Unis, Inde et Japon ont tous fait face ces dernières années à des attaques de "
        "cybercriminels liés à la Chine.",
    ],
    "001": [
        "L’OTAN renforce sa cybercoalition avec ses partenaires asiatiques",
        "L'événement Cyber Coalition 2023, organisé à Tallinn, la capitale du pays,",
        "« Il y a d’autres acteurs que la Russie qui mènent des cyberattaques – la Chine et la Corée du Nord en sont deux »",
    ],
    "002": [
        "On Tuesday, the United States and three allies announced a partnership to strengthen software, "
        "supply chains and customer data as part of a series of cybersecurity initiatives.",
        "The White House confirmed that leaders from all four countries would meet again next year in Australia.",
    ],
    "003": [
        "Les États-Unis et leurs alliés vont condamner les activités «malveillantes» de la Chine",
        "Le géant de la tech avait déjà accusé un groupe de hackers liés à la Chine, baptisé «Hafnium».",
        "«Nous appelons tous les États, y compris la Chine, à respecter leurs obligations, y compris dans "
        "le cyberespace», selon ce document.",
    ],
    "004": [
        "Des secteurs doivent être épargnés par les cyberattaques, dit Biden à Poutine",
        "Moscou nie tout lien entre ces cyberattaques et le gouvernement russe.",
        "Réunis dans une villa sur les bords du Léman à Genève, en Suisse, les présidents américain et russe "
        "sont convenus de mener aussi des discussions bilatérales sur le contrôle des armes",
    ],
}
GONE = {
    "000": [  # newsletter sign-up
        "Restez informés en temps réel",
        "S'inscrire à",
        "la newsletter",
        "En fournissant votre email vous acceptez de recevoir la newsletter de Incyber",
        "Vous pourrez vous désinscrire à tout moment",
    ],
    "003": [  # comment form
        "1 Comment",
        "Laisser un commentaire",
        "Votre adresse e-mail ne sera pas publiée.",
        "Les champs obligatoires sont indiqués avec *",
        "Lire aussi",
    ],
    "004": [  # podcast list and newsletter sign-up
        "LES PODCASTS",
        "A Grasse, un parfum de renouveau",
        "Dans ce nouvel épisode de La Fabrique",
        "Les recettes de l'horlogerie suisse",
        "Martin Buthaud est docteur en philosophie",
        "Écouter cet épisode",
        "Tous les podcasts",
        "NEWSLETTER La Quotidienne",
        "Nos journalistes sélectionnent pour vous les articles essentiels de votre secteur.",
        "Votre demande d’inscription a bien été prise en compte.",
        "Votre email est traité par notre titre de presse",
        "TOLIER FORMEUR P3 H/F",
        "ARTICLES LES PLUS LUS",
    ],
    "002": ["To get the latest updates on various cyber-related events", "Share This", "Content is protected"],
    "001": ["Nœud source", "Horodatage", "Plus de Actualités de la défense"],
}


@pytest.fixture(scope="module")
def samples() -> Any:
    return ts.datasets.load_sample_articles()


@pytest.fixture(scope="module")
def cleaned(samples: Any) -> tuple[ts.BoilerplateRemover, list[str]]:
    remover = ts.BoilerplateRemover()
    return remover, remover.fit_transform(samples.data, ids=samples.ids)


def test_sample_articles_lose_their_boilerplate_lines_and_keep_their_body(samples: Any, cleaned: Any) -> None:
    remover, out = cleaned
    report = remover.report_
    assert_output_matches_report(samples.data, out, report)
    for d, article_id in enumerate(samples.ids):
        removed = set(report.loc[report.document == d, "line"])
        lines = samples.data[d].split("\n")
        assert all(lines[i].strip() for i in BODY[article_id]), "a body label on a blank line"
        assert not removed & set(BODY[article_id]), (article_id, sorted(removed & set(BODY[article_id])))
        missed = {i for i in BOILERPLATE[article_id] if lines[i].strip()} - removed
        assert not missed, (article_id, [lines[i] for i in sorted(missed)])
    log.info("removed from the sample articles:\n%s", report[["id", "line", "reason", "text"]].to_string())


@pytest.mark.parametrize("article_id", sorted(BODY_SENTENCES))
def test_sample_article_sentences(samples: Any, cleaned: Any, article_id: str) -> None:
    _, out = cleaned
    d = samples.ids.index(article_id)
    raw, clean = samples.data[d], out[d]
    for sentence in BODY_SENTENCES[article_id]:
        assert sentence in raw and sentence in clean, sentence
    for text in GONE.get(article_id, []):
        assert text in raw and text not in clean, text
    assert clean.count(BODY_SENTENCES[article_id][0]) == 1, "the title (or lead) once, not repeated"


@pytest.mark.parametrize("remover", [ts.BoilerplateRemover, ReferenceBoilerplateRemover], ids=["native", "reference"])
def test_article_004_keeps_its_lead_sentence(samples: Any, remover: type) -> None:
    # The photo caption that is 004's lead: a sentence, then its credit. Few stop words (names),
    # no sentence end at its end: it went as few_stop_words before; its sentence is the article's.
    lead = ("Certains secteurs cruciaux devaient être hors de portée d'attaques informatiques, a déclaré Joe "
            "Biden à Vladimir Poutine.")
    d = samples.ids.index("004")
    assert lead in samples.data[d]
    cleaning = remover()
    out = cleaning.fit_transform(samples.data, ids=samples.ids)
    assert lead in out[d]
    assert not cleaning.report_.text.str.contains("Certains secteurs cruciaux").any()


# A manual page as mandoc renders it (coreutils' arch(1)): wrapped at 80 columns, headings, options.
MAN_PAGE = """ARCH(1)                          User Commands                         ARCH(1)

NAME
       arch - print machine hardware name (same as uname -m)

SYNOPSIS
       arch [OPTION]...

DESCRIPTION
       Print machine architecture.

       --help display this help and exit

       --version
              output version information and exit

AUTHOR
       Written by David MacKenzie and Karel Zak.

REPORTING BUGS
       GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
       Report any translation bugs to <https://translationproject.org/team/>

SEE ALSO
       uname(1), uname(2)

GNU coreutils 9.1                 September 2022                       ARCH(1)"""


@pytest.mark.parametrize("remover", [ts.BoilerplateRemover, ReferenceBoilerplateRemover], ids=["native", "reference"])
def test_a_document_wrapped_in_short_lines_is_kept_whole_and_said_so(samples: Any, remover: type) -> None:
    docs = [*samples.data, MAN_PAGE]
    cleaning = remover()
    with pytest.warns(UserWarning, match=r"more than 10% of the words of 1 of 6 documents .*boilerplate=False"):
        out = cleaning.fit_transform(docs)
    assert out[5] == MAN_PAGE  # its one-line description among the rest
    assert cleaning.kept_whole_.document.tolist() == [5] and 5 not in set(cleaning.report_.document)
    forced = remover(max_removed_share=1.0)
    cleaned = forced.fit_transform(docs)
    removed_words = sum(len(re.findall(r"\w+", t)) for t in forced.report_.loc[forced.report_.document == 5, "text"])
    assert removed_words == cleaning.kept_whole_.words.iloc[0] > 0.1 * len(re.findall(r"\w+", MAN_PAGE))
    # the scraped articles are cleaned as before
    assert out[:5] == cleaned[:5]
    pd.testing.assert_frame_equal(cleaning.report_, forced.report_[forced.report_.document < 5])


def test_sample_article_reasons(samples: Any, cleaned: Any) -> None:
    report = cleaned[0].report_.set_index(["id", "line"])
    # the sign-up block printed twice goes whole, both copies; the podcast titles repeat within 004
    assert set(report.loc["000", "reason"]) == {"repeated_in_document"}
    assert report.loc[("004", 46), "reason"] == "repeated_in_document"
    assert report.loc[("004", 44), "reason"] == "capitals"  # LES PODCASTS
    assert report.loc[("003", 8), "reason"] == "label"  # Lire aussi : …
    assert report.loc[("003", 40), "reason"] == "short_run"  # Laisser un commentaire
    assert set(cleaned[0].report_.language) == {"fr", "en"}
    assert set(cleaned[0].report_.loc[cleaned[0].report_.id == "002", "language"]) == {"en"}


def test_series_index_gives_the_report_ids(samples: Any) -> None:
    frame = ts.datasets.load_sample_articles(as_frame=True)
    remover = ts.BoilerplateRemover()
    out = remover.fit_transform(frame.data)
    by_list = ts.BoilerplateRemover()
    assert out == by_list.fit_transform(samples.data, ids=samples.ids)
    pd.testing.assert_frame_equal(remover.report_, by_list.report_)
    assert set(remover.report_.id) == {"000", "001", "002", "003", "004"}


# ============================================================== top terms (issue acceptance 3)


def test_top_terms_of_cleaned_articles_are_not_stop_words_nor_boilerplate(samples: Any, cleaned: Any) -> None:
    remover, out = cleaned
    report = remover.report_
    top_clean, top_raw = top_terms(out), top_terms(samples.data)
    raw_has_boilerplate = []
    for d, article_id in enumerate(samples.ids):
        lang = ts.detect_language(samples.data[d])
        assert ts.detect_language(out[d]) == lang
        # "boilerplate word": a term whose occurrences in the raw article are all in removed lines
        removed = set(report.loc[report.document == d, "line"])
        lines = samples.data[d].split("\n")
        analyzer = ts.Analyzer(language=lang)
        in_removed = set(analyzer("\n".join(line for i, line in enumerate(lines) if i in removed)))
        in_kept = set(analyzer("\n".join(line for i, line in enumerate(lines) if i not in removed)))
        boilerplate = in_removed - in_kept
        stops = ts.stop_words(lang)
        log.info("%s (%s) top-10 terms: %s", article_id, lang, ", ".join(shown for _, shown in top_clean[d]))
        log.info("%s (%s) raw top-10 terms: %s", article_id, lang, ", ".join(shown for _, shown in top_raw[d]))
        assert len(top_clean[d]) == 10
        for term, shown in top_clean[d]:
            assert term not in boilerplate, (article_id, shown)
            assert term not in stops and normalize_stop_word(shown) not in stops, (article_id, shown)
        raw_has_boilerplate.append(sorted(shown for term, shown in top_raw[d] if term in boilerplate))
    log.info("boilerplate words among the raw top-10: %s", dict(zip(samples.ids, raw_has_boilerplate)))
    # the check can fail: without the remover, 000 and 004 have sign-up and podcast words on top
    assert raw_has_boilerplate[0] and raw_has_boilerplate[4]


# ============================================================== hand-worked small cases (issue acceptance 4)

GERMAN_BODY = [
    "Die Regierung in Berlin hat am Dienstag ein neues Gesetz zum Schutz der Netze vorgestellt, das die "
    "Betreiber kritischer Infrastrukturen zu mehr Sicherheit verpflichten soll.",
    "Nach Angaben des Ministeriums sollen die Unternehmen Angriffe künftig innerhalb von 24 Stunden melden, "
    "damit die Behörden schneller reagieren können, wenn sich ein Angriff ausbreitet.",
    "Kritiker bemängeln, dass kleinere Stadtwerke mit den neuen Pflichten überfordert sein könnten, und "
    "fordern eine längere Übergangsfrist für die Umsetzung der Regeln.",
]


def test_german_repeated_block_and_trailing_links() -> None:
    page = "\n".join([
        "Neue Pflichten für die Betreiber der Netze",  # 0 title
        GERMAN_BODY[0],  # 1
        "Jetzt anmelden",  # 2 sign-up block ...
        "Unser Newsletter für Sie",  # 3
        GERMAN_BODY[1],  # 4
        "Jetzt anmelden",  # 5 ... printed again
        "Unser Newsletter für Sie",  # 6
        GERMAN_BODY[2],  # 7
        "",  # 8
        "Teilen",  # 9 share buttons and links after the text
        "Drucken",  # 10
        "Mehr zum Thema",  # 11
        "Weitere Artikel aus der Rubrik",  # 12
        "Startseite",  # 13
    ])
    remover = ts.BoilerplateRemover()
    out = remover.fit_transform([page])
    assert out == ["\n".join(["Neue Pflichten für die Betreiber der Netze", *GERMAN_BODY])]
    report = remover.report_
    assert list(report.line) == [2, 3, 5, 6, 9, 10, 11, 12, 13]
    assert list(report.reason) == ["repeated_in_document"] * 4 + ["short_run"] * 5
    assert set(report.language) == {"de"} and set(report.document) == {0} and set(report.id) == {0}


def test_body_paragraph_pasted_twice_keeps_its_first_copy() -> None:
    paragraph = GERMAN_BODY[1]
    page = "\n\n".join([GERMAN_BODY[0], paragraph, GERMAN_BODY[2], paragraph])
    remover = ts.BoilerplateRemover()
    (out,) = remover.fit_transform([page])
    assert out == "\n\n".join([GERMAN_BODY[0], paragraph, GERMAN_BODY[2]])
    assert list(remover.report_.line) == [6] and list(remover.report_.reason) == ["repeated_in_document"]


SPANISH_ARTICLES = [
    "El Gobierno aprobó ayer una ley que obliga a las empresas de energía a informar de los ataques "
    "informáticos en un plazo de veinticuatro horas, según fuentes del ministerio.",
    "Los sindicatos de la enseñanza convocaron una huelga para el próximo jueves en protesta por la falta "
    "de profesores y por las condiciones de trabajo en los institutos públicos.",
    "La policía detuvo a tres personas acusadas de robar datos bancarios de miles de clientes mediante "
    "mensajes falsos que imitaban los avisos de una entidad financiera.",
    "El ayuntamiento de la ciudad anunció que las obras del nuevo tranvía comenzarán en primavera y que "
    "durarán al menos dos años, con cortes de tráfico en el centro.",
    "Un estudio de la universidad concluye que la mitad de los jóvenes lee las noticias en el teléfono "
    "móvil y que solo una minoría paga por una suscripción a un periódico.",
]
SPANISH_COOKIE_NOTICE = [
    "Utilizamos cookies propias y de terceros para mejorar nuestros servicios y mostrarle publicidad "
    "relacionada con sus preferencias mediante el análisis de sus hábitos de navegación.",
    "Aceptar todas",
    "Configurar",
]


def test_spanish_cookie_notice_recurring_across_the_corpus() -> None:
    # a site's cookie notice opens every page: dense prose by shape, boilerplate by recurrence
    pages = ["\n".join([*SPANISH_COOKIE_NOTICE, "", body]) for body in SPANISH_ARTICLES]
    remover = ts.BoilerplateRemover()
    assert remover.fit_transform(pages) == SPANISH_ARTICLES
    report = remover.report_
    assert list(report.document) == [d for d in range(5) for _ in range(3)]
    assert list(report.line) == [0, 1, 2] * 5
    assert set(report.reason) == {"repeated_across_corpus"} and set(report.language) == {"es"}
    assert remover.corpus_threshold_ == 5
    assert remover.recurring_lines_ == {"aceptar todas", "configurar", SPANISH_COOKIE_NOTICE[0].casefold()}
    # fitted on one page less than corpus_min_documents, the notice is not known as a template
    assert ts.BoilerplateRemover().fit(pages[:4]).recurring_lines_ == frozenset()
    assert ts.BoilerplateRemover(corpus_min_documents=4).fit(pages[:4]).recurring_lines_ == remover.recurring_lines_
    # the same page given five times is one page, not a template
    assert ts.BoilerplateRemover().fit(pages[:1] * 5).recurring_lines_ == frozenset()


def test_spanish_cookie_buttons_and_comment_form_by_shape() -> None:
    page = "\n".join([
        "Nueva ley de ciberseguridad",
        SPANISH_ARTICLES[0],
        SPANISH_ARTICLES[1],
        "Aceptar",
        "Rechazar",
        "Configurar cookies",
        "Deja un comentario",
        "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *",
        "Nombre *",
        "Correo electrónico *",
    ])
    remover = ts.BoilerplateRemover()
    (out,) = remover.fit_transform([page])
    assert out == "\n".join(["Nueva ley de ciberseguridad", SPANISH_ARTICLES[0], SPANISH_ARTICLES[1]])
    assert list(remover.report_.line) == list(range(3, 10))
    assert set(remover.report_.reason) == {"short_run"} and set(remover.report_.language) == {"es"}


def test_language_without_stop_words_is_judged_by_shape() -> None:
    # Russian: CLD2 knows it, themescope has no stop list for it: length, sentence ends and repetition
    body = [
        "Правительство в среду представило новый закон о защите сетей, который обязывает операторов "
        "критической инфраструктуры сообщать о каждой атаке в течение суток после её обнаружения.",
        "По словам министра, компании получат год на подготовку, а небольшие городские предприятия смогут "
        "рассчитывать на помощь государства при покупке нового оборудования и обучении сотрудников.",
    ]
    page = "\n".join(["Подписаться", "Главная", body[0], "Подписаться", body[1], "Поделиться", "Печать", "Читайте также"])
    remover = ts.BoilerplateRemover()
    assert ts.detect_language(page) == "ru" and "ru" not in ts.STOP_WORD_LANGUAGES
    assert remover.fit_transform([page]) == ["\n".join(body)]
    assert list(remover.report_.line) == [0, 1, 3, 5, 6, 7]
    # the first line repeated is kept by repetition (a title may be repeated) and removed by shape
    assert list(remover.report_.reason) == ["short_run", "short_run", "repeated_in_document",
                                            "short_run", "short_run", "short_run"]
    assert set(remover.report_.language) == {"ru"}


def test_text_cut_at_links_is_joined_not_dropped() -> None:
    # a scraper drops link texts, leaving lines that start mid-sentence (BBC sport does this)
    page = "\n".join([
        "Davenport dismantles young rival",
        "",
        "Top seed Lindsay Davenport booked her place in the last 16 with a convincing win over a rival who had "
        "won her three previous matches without dropping a set. Former world number one",
        "",
        "powered her way into the fourth round with a straight sets win over Anna Smashnova. She now faces",
        "",
        "after the Swiss 12th seed beat American Abigail Spears 7-6 6-3.",
    ])
    remover = ts.BoilerplateRemover()
    assert remover.fit_transform([page]) == [page]
    assert remover.report_.empty and list(remover.report_.columns) == REPORT_COLUMNS


def test_label_lines_and_links() -> None:
    body = [
        "The ministers met in Brussels on Tuesday to discuss how the member states could share information "
        "about attacks on their networks faster than they do today.",
        "They agreed to set up a joint centre that will coordinate the response to attacks on hospitals, "
        "power grids and other critical infrastructure across the union.",
    ]
    page = "\n".join([
        "Ministers agree on a joint cyber centre",
        "Posted by: Jane Doe",
        body[0],
        "Read more: Europe's new rules for hospitals",
        body[1],
        "Follow us @newsdesk #cyber https://example.com/newsletter",
    ])
    remover = ts.BoilerplateRemover(language="en")
    assert remover.fit_transform([page]) == ["\n".join(["Ministers agree on a joint cyber centre", *body])]
    assert list(remover.report_.reason) == ["label", "label", "links"]


# ---- bad input, like the vectorizers (tests/python/test_bad_input.py)


def test_empty_input_and_empty_documents() -> None:
    remover = ts.BoilerplateRemover()
    assert remover.fit_transform([]) == []
    assert remover.report_.empty and list(remover.report_.columns) == REPORT_COLUMNS
    assert remover.recurring_lines_ == frozenset() and remover.n_documents_ == 0
    docs = ["", "   ", "\n\n", "\r\n"]
    assert remover.fit_transform(docs) == docs
    assert remover.report_.empty
    assert remover.transform([]) == []
    # a document that is only boilerplate becomes empty, and says so in the report
    assert ts.BoilerplateRemover().fit_transform(["Partager\nTweeter\nImprimer"]) == [""]


@pytest.mark.parametrize("bad, type_name", [(None, "missing"), (3, "int"), (b"bytes", "bytes"), (["a"], "list")])
def test_non_str_document_names_its_index(bad: object, type_name: str) -> None:
    docs: list[Any] = ["Un document.", "Un autre.", bad, "Le dernier."]
    with pytest.raises(TypeError, match=rf"document 2 is {type_name}\b"):
        ts.BoilerplateRemover().fit_transform(docs)
    with pytest.raises(TypeError, match=rf"document 2 is {type_name}\b"):
        ts.BoilerplateRemover().fit(docs)
    fitted = ts.BoilerplateRemover().fit(["Un document."])
    with pytest.raises(TypeError, match=rf"document 2 is {type_name}\b"):
        fitted.transform(iter(docs))
    assert fitted.transform(["Un document."]) == ["Un document."]  # still usable


@pytest.mark.parametrize("texts", ["one str", b"bytes", 42])
def test_texts_must_be_an_iterable_of_documents(texts: object) -> None:
    with pytest.raises(TypeError, match="texts must be an iterable of str"):
        ts.BoilerplateRemover().fit_transform(texts)  # type: ignore[arg-type]


def test_ids_must_match_the_documents() -> None:
    with pytest.raises(ValueError, match="ids has 1 items for 2 documents"):
        ts.BoilerplateRemover().fit_transform(["a", "b"], ids=["x"])
    with pytest.raises(TypeError, match="ids must be a sequence"):
        ts.BoilerplateRemover().fit_transform(["a", "b"], ids="xy")


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"language": "xx"}, ValueError, "language must be 'auto' or one of the codes with a stop list"),
        ({"language": "ru"}, ValueError, "got 'ru'"),
        ({"language": None}, TypeError, "language must be 'auto'"),
        ({"length_low": -1}, ValueError, "length_low must be a non-negative int, got -1"),
        ({"max_short_run": 2.5}, ValueError, "max_short_run must be a non-negative int"),
        ({"stopwords_high": 1.5}, ValueError, r"stopwords_high must be a number in \[0, 1\], got 1.5"),
        ({"corpus_min_fraction": True}, ValueError, "corpus_min_fraction must be a number"),
        ({"max_removed_share": 1.5}, ValueError, r"max_removed_share must be a number in \[0, 1\], got 1.5"),
    ],
)
def test_parameters_are_checked_at_fit(params: dict[str, Any], error: type, message: str) -> None:
    remover = ts.BoilerplateRemover(**params)  # __init__ only stores
    with pytest.raises(error, match=message):
        remover.fit(["Un document."])


def test_transform_before_fit() -> None:
    with pytest.raises(NotFittedError):
        ts.BoilerplateRemover().transform(["Un document."])


# ============================================================== estimator API and determinism (acceptance 5)


def test_estimator_api(samples: Any, cleaned: Any) -> None:
    remover = ts.BoilerplateRemover(length_low=8, corpus_min_documents=3)
    params = remover.get_params()
    assert params["length_low"] == 8 and params["language"] == "auto" and len(params) == 11
    copy = clone(remover)
    assert copy.get_params() == params and not hasattr(copy, "recurring_lines_")
    assert copy.set_params(length_low=10) is copy and copy.length_low == 10
    assert clone(ts.BoilerplateRemover()).fit_transform(samples.data) == cleaned[1]
    # in a pipeline, in front of the vectorizer
    pipeline = make_pipeline(ts.BoilerplateRemover(), ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto")))
    X = pipeline.fit_transform(samples.data)
    Y = ts.TfidfVectorizer(analyzer=ts.Analyzer(language="auto")).fit_transform(cleaned[1])
    assert (X != Y).nnz == 0


def test_deterministic_and_pickle_round_trip(samples: Any, cleaned: Any) -> None:
    remover, out = cleaned
    again = ts.BoilerplateRemover()
    assert again.fit_transform(samples.data, ids=samples.ids) == out
    pd.testing.assert_frame_equal(again.report_, remover.report_)
    fitted = ts.BoilerplateRemover().fit(samples.data)
    assert fitted.transform(samples.data, ids=samples.ids) == out  # fit then transform = fit_transform
    pd.testing.assert_frame_equal(fitted.report_, remover.report_)
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.recurring_lines_ == fitted.recurring_lines_
    assert restored.transform(samples.data, ids=samples.ids) == out
    pd.testing.assert_frame_equal(restored.report_, remover.report_)
    # generators are read once
    assert ts.BoilerplateRemover().fit_transform(iter(samples.data)) == out


_LINE_PARTS = st.sampled_from([
    "Les ministres se sont réunis à Bruxelles pour parler de la sécurité des réseaux",
    "The ministers met in Brussels on Tuesday to discuss the security of the networks",
    "Partager", "Read more", "LES PODCASTS", "© AFP", "Photo: X", "www.example.com", "l’OTAN", "...",
    ".", "!", "«", "»", ":", "1 Comment", "", " ", "\t", "30.000", "Écouter cet épisode",
])
_LINES = st.lists(_LINE_PARTS, min_size=0, max_size=4).map(" ".join) | st.text(max_size=40)


@pytest.mark.filterwarnings("ignore:boilerplate removal would have taken:UserWarning")  # short lines: kept whole
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(st.lists(_LINES, max_size=12).map("\n".join), max_size=6))
def test_output_is_input_minus_reported_lines(docs: list[str]) -> None:
    remover = ts.BoilerplateRemover(corpus_min_documents=2)
    out = remover.fit_transform(docs)
    assert_output_matches_report(docs, out, remover.report_)
    # a document kept whole comes back as given, with nothing reported
    for d in remover.kept_whole_.document:
        assert out[d] == docs[d] and d not in set(remover.report_.document)
    assert remover.transform(docs) == out


# ============================================================== corpora (issue acceptance 2)


def removal_summary(name: str, docs: Sequence[str], out: Sequence[str], report: pd.DataFrame) -> float:
    """Log the share of words removed, per reason, and examples; return the share."""
    before = sum(len(d.split()) for d in docs)
    after = sum(len(d.split()) for d in out)
    share = (before - after) / before
    by_reason = report.assign(words=report.text.str.split().str.len()).groupby("reason").words.agg(["count", "sum"])
    log.info("%s: %d documents, %d words, %d removed (%.2f%%), %d lines from %d documents\n%s", name, len(docs),
             before, before - after, 100 * share, len(report), report.document.nunique(), by_reason.to_string())
    rng = random.Random(0)
    for reason, rows in report.groupby("reason"):
        for row in rng.sample(list(rows.itertuples()), min(4, len(rows))):
            log.info("%s removed (%s) %s line %d: %s", name, reason, row.id, row.line, row.text.strip()[:150])
    return share


@pytest.fixture(scope="module")
def bbc_cleaned(bbc_raw: list[tuple[str, str, bytes]], bbc_texts: list[str]) -> tuple[ts.BoilerplateRemover, list[str]]:
    remover = ts.BoilerplateRemover()
    return remover, remover.fit_transform(bbc_texts, ids=[file_id for _, file_id, _ in bbc_raw])


@pytest.mark.corpus
def test_bbc_news_loses_little(bbc_texts: list[str], bbc_cleaned: Any) -> None:
    remover, out = bbc_cleaned
    report = remover.report_
    assert_output_matches_report(bbc_texts, out, report)
    share = removal_summary("bbc_news_en", bbc_texts, out, report)
    assert 0.001 < share < 0.01  # measured 0.40%: lists of fixtures and line-ups, author notes
    assert report.document.nunique() < 0.05 * len(bbc_texts)  # measured 86 of 2,225
    per_doc = [1 - len(o.split()) / len(d.split()) for d, o in zip(bbc_texts, out)]
    assert max(per_doc) <= 0.5  # measured: 50% at most (theatre/awards/ tennis lists)
    # the body: every article keeps its longest paragraph, and all but a few their first paragraph
    for d, (raw, clean) in enumerate(zip(bbc_texts, out)):
        paragraphs = [p for p in raw.split("\n") if p.strip()]
        assert max(paragraphs, key=len) in clean, d
    lost_first = [d for d, raw in enumerate(bbc_texts) if [p for p in raw.split("\n") if p.strip()][1] not in out[d]]
    assert len(lost_first) <= 15, lost_first  # measured 11: match previews' "Stade de France, Paris" …
    # inspected: the one line recurring across the corpus is a columnist's note, in 7 tech articles
    recurring = report[report.reason == "repeated_across_corpus"]
    assert set(recurring.text.str.strip()) == {
        "Bill Thompson is a regular commentator on the BBC World Service programme Go Digital."}
    assert len(recurring) == 7
    rows = report.set_index(["id", "line"])
    assert rows.loc[("sport/190.txt", 16), "text"] == "Winners meet in final match"  # a fixture list's refrain
    assert rows.loc[("sport/190.txt", 16), "reason"] == "repeated_in_document"
    # a line-up is not prose; the match report around it stays
    assert rows.loc[("sport/246.txt", 18), "text"].startswith("Cech, Paulo Ferreira, Ricardo Carvalho")
    assert rows.loc[("sport/246.txt", 18), "reason"] == "few_stop_words"
    # with it go the substitutes, scorers, attendance and referee: the lines under a match report
    assert list(report.loc[report.id == "sport/246.txt", "text"].str.strip()) == [
        rows.loc[("sport/246.txt", 18), "text"].strip(), "Robben, Drogba, Lampard.", "Terry 17, Gudjohnsen 46.",
        "38,153", "G Poll (Hertfordshire)."]
    # a title is kept past the score line under it, which goes
    chelsea = report[report.id == "sport/104.txt"]
    assert 0 not in set(chelsea.line) and chelsea.line.iloc[0] == 2
    assert chelsea.text.iloc[0] == "(after extra-time - score at 90 mins 1-1)"


@pytest.fixture(scope="module")
def gilets_jaunes(corpora_dir: Path) -> list[dict[str, Any]]:
    path = corpora_dir / "gilets_jaunes_fr_en" / "gilets_jaunes_fr_en.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.mark.corpus
def test_gilets_jaunes_press_loses_its_debris(gilets_jaunes: list[dict[str, Any]]) -> None:
    docs = [a["text"] for a in gilets_jaunes]
    remover = ts.BoilerplateRemover()
    # five pages cut into short lines (CNN's story highlights and lists, Irish Times captions) would
    # have lost more than a tenth of their words, story highlights and a lead among them
    with pytest.warns(UserWarning, match="10% of the words of 5 of 3112 documents"):
        out = remover.fit_transform(docs, ids=[a["id"] for a in gilets_jaunes])
    assert remover.kept_whole_.id.tolist() == ["gj02919", "gj02955", "gj03069", "gj03086", "gj03094"]
    report = remover.report_
    assert_output_matches_report(docs, out, report)
    share = removal_summary("gilets_jaunes_fr_en", docs, out, report)
    assert 0.003 < share < 0.03  # measured 0.8%
    assert remover.corpus_threshold_ == 5
    reasons = report.groupby("reason").size()
    assert reasons["repeated_across_corpus"] > 500  # CNN galleries and widgets, © agency credits, "(...)"
    # inspected: what recurs across the corpus is widgets, credits and gallery captions, not body text
    recurring = set(report.loc[report.reason == "repeated_across_corpus", "text"].str.strip())
    for widget in ["Read More", "JUST WATCHED", "Replay", "More Videos ...", "Story highlights", "© AFP", "(...)",
                   "© BELGA", "Paris (CNN)", "13 of 39", "Hide Caption"]:
        assert widget in recurring, widget
    assert all(len(text.split()) <= 30 for text in recurring)
    # the body: documents emptied are pure debris (a credit, an editorial's by-line, "(...)")
    emptied = [d for d, o in enumerate(out) if not o.strip()]
    assert all(len(docs[d].split()) <= 12 for d in emptied), [docs[d] for d in emptied]
    # every document of 100 words or more keeps its longest paragraph, but four inspected ones where
    # it is not the article: a list of Netflix category codes, and Irish Times video captions
    # ("... Video: European Council") on pages where the article was not scraped (a caption whose
    # sentences come first, gj02935's, stays: see the lead of sample article 004)
    lost_longest = []
    for d, raw in enumerate(docs):
        paragraphs = [p for p in raw.split("\n") if p.strip()]
        if len(raw.split()) >= 100 and max(paragraphs, key=len) not in out[d]:
            lost_longest.append(gilets_jaunes[d]["id"])
            assert gilets_jaunes[d]["id"] == "gj01921" or "Video: " in max(paragraphs, key=len)
    assert lost_longest == ["gj01921", "gj02927", "gj02984", "gj02991"]
    # an inspected photo caption: a sentence about the story, then its credit, stays with the article
    d = [a["id"] for a in gilets_jaunes].index("gj02922")
    assert docs[d].split("\n")[0].strip().endswith("simplistic. Photograph: Ludovic Marin/AFP/Getty Images")
    assert out[d] == docs[d] and d not in set(report.document)
