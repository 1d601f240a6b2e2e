"""Articles' metadata: dates and titles read from pages, URLs and table columns, and kept by the Explorer.

News is about *when* and *who*. :func:`themescope.read_corpus` gives a ``title``
and a ``date`` column where the source has them (the HTML page's metadata, a date
in the article's URL, a table's ``date``/``title`` columns), and
:meth:`themescope.Explorer.fit` keeps every column other than ``id`` and
``text`` as ``explorer.metadata_``, for :meth:`Clustering.over_time
<themescope.Clustering.over_time>` and :meth:`Clustering.by
<themescope.Clustering.by>`.

Dates are parsed per value: ISO 8601 and the common English forms by pandas
(dateutil), then other languages' forms ("17 novembre 2018") by dateparser when
it is installed (it comes with the ``html`` extra). Relative dates ("about 9
hours ago") and dates without a day ("March 2019") are *not* guessed: they
would depend on the day the corpus is read. What cannot be parsed becomes
``NaT`` and an :class:`UnparsedDateWarning` names how many and which.

>>> import pandas as pd
>>> from themescope.metadata import parse_dates
>>> parse_dates(pd.Series(["2019-01-19", "Sat, Mar 23, 2019, 06:01", None])).tolist()
[Timestamp('2019-01-19 00:00:00'), Timestamp('2019-03-23 06:01:00'), NaT]
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["UnparsedDateWarning", "date_from_url", "document_metadata", "html_metadata", "parse_dates"]

# dateparser without its relative-time parser and with a full date required: "2 hours ago" or
# "March" would otherwise be read against today's date, and the same corpus give other dates tomorrow.
_DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
#: The languages dateparser reads month and day names in: the news languages themescope analyzes
#: most (without a list, dateparser tries its 200 locales, seconds per unparseable string).
DATE_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "ar")
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
_HAS_DIGIT = re.compile(r"\d")
_EMPTY_PAGE = "<html><body><p></p></body></html>"


class UnparsedDateWarning(UserWarning):
    """Some dates could not be parsed; they are kept as NaT (the message names them)."""


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _parse_one(value: Any) -> pd.Timestamp | None:
    """One date as a naive UTC timestamp, or None."""
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "year"):
        stamp = pd.Timestamp(value)
    else:
        text = str(value).strip()
        if not _HAS_DIGIT.search(text):
            return None  # "yesterday", "n/a": nothing a calendar can place
        from dateutil import parser

        try:
            # Parsed against two different defaults: a string that leaves the year, month or
            # day to the default ("March 2019", "23 Mar") is not a date one can place.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # dateutil's UnknownTimezoneWarning and the like
                first = parser.parse(text, default=_DEFAULT_A)
                second = parser.parse(text, default=_DEFAULT_B)
        except (ValueError, OverflowError):
            stamp = _dateparser(text)
            if stamp is None:
                return None
        else:
            if first.date() != second.date():
                return None
            stamp = pd.Timestamp(first)
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp


def _dateparser(text: str) -> pd.Timestamp | None:
    try:
        import dateparser
    except ImportError:  # only pandas' formats then
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = dateparser.parse(text, languages=list(DATE_LANGUAGES), settings=_DATEPARSER_SETTINGS)
    return None if found is None else pd.Timestamp(found)


def parse_dates(values: Sequence[Any] | pd.Series, *, source: str = "dates", stacklevel: int = 2) -> pd.Series:
    """Parse dates given as strings (any common format, several languages) or datetimes.

    Parameters
    ----------
    values : sequence or pandas.Series
        Strings, datetimes, or missing values (None, NaN, empty strings).
    source : str, default="dates"
        What the values are, for the warning ("column 'date' of news.csv").
    stacklevel : int, default=2
        As :func:`warnings.warn`'s, counted from the caller of this function.

    Returns
    -------
    pandas.Series of datetime64[ns]
        Naive timestamps in UTC (aware ones are converted), ``NaT`` where a
        value is missing or cannot be parsed; same index as ``values``.

    Warns
    -----
    UnparsedDateWarning
        Some present values could not be parsed: how many, and the first few.

    Examples
    --------
    >>> import pandas as pd
    >>> from themescope.metadata import parse_dates
    >>> parse_dates(["17 novembre 2018", "2018-11-17T10:00:00+01:00"]).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2018-11-17 00:00', '2018-11-17 09:00']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    parsed, unparsed = _parse_series(series)
    warn_unparsed(series[unparsed], len(series), source, stacklevel + 1)
    return parsed


def _parse_series(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The parsed dates, and a mask of the values present but not parsed."""
    parsed: list[Any] = []
    unparsed = np.zeros(len(series), dtype=bool)
    cache: dict[Any, Any] = {}
    for position, value in enumerate(series.tolist()):
        if _missing(value):
            parsed.append(pd.NaT)
            continue
        key = value if isinstance(value, str) else repr(value)
        if key not in cache:
            cache[key] = _parse_one(value)
        stamp = cache[key]
        unparsed[position] = stamp is None
        parsed.append(pd.NaT if stamp is None else stamp)
    dates = pd.Series(pd.to_datetime(pd.Series(parsed, dtype=object)).to_numpy(dtype="datetime64[ns]"),
                      index=series.index, name=series.name)
    return dates, unparsed


def warn_unparsed(values: pd.Series, total: int, source: str, stacklevel: int) -> None:
    """Name the dates that stay NaT although a value was given."""
    if len(values) == 0:
        return
    examples = ", ".join(repr(str(v)) for v in list(dict.fromkeys(values.tolist()))[:5])
    warnings.warn(
        f"{len(values)} of {total} {source} could not be parsed and are kept as NaT "
        f"(e.g. {examples}); relative dates and dates without a day are not guessed",
        UnparsedDateWarning,
        stacklevel=stacklevel,  # counted from here: the callers pass theirs + 1
    )


def dates_with_urls(raw: pd.Series | None, urls: pd.Series | None, source: str, stacklevel: int = 2) -> pd.Series:
    """A table's dates: its date column parsed, and where that gives none, the date in the URL."""
    if raw is None:
        assert urls is not None
        raw = pd.Series([None] * len(urls), index=urls.index, dtype=object)
    dates, unparsed = _parse_series(raw)
    if urls is not None:
        values = dates.to_numpy(copy=True)
        for position in np.flatnonzero(dates.isna().to_numpy()):
            found = date_from_url(urls.iloc[position])
            if found is not None:
                values[position] = found.to_datetime64()
                unparsed[position] = False
        dates = pd.Series(values, index=dates.index, name=dates.name)
    warn_unparsed(raw[unparsed], len(raw), source, stacklevel + 1)
    return dates


def date_from_url(url: Any) -> pd.Timestamp | None:
    """The date written in an article's URL (``/2018/11/17/``), by htmldate; None if there is none.

    htmldate comes with trafilatura (the ``html`` extra); without it, None.

    Examples
    --------
    >>> from themescope.metadata import date_from_url
    >>> date_from_url("https://www.journaldemontreal.com/2018/11/17/gilets-jaunes-macron")
    Timestamp('2018-11-17 00:00:00')
    >>> date_from_url("https://example.org/about") is None
    True
    """
    if _missing(url):
        return None
    try:
        import htmldate
    except ImportError:
        return None
    # An empty page: htmldate reads the URL alone (a page would let it look at the markup too).
    found = htmldate.find_date(_EMPTY_PAGE, url=str(url), extensive_search=False,
                               min_date="1990-01-01", max_date="2100-01-01")
    return None if found is None else pd.Timestamp(found)


def html_metadata(html: str) -> dict[str, Any]:
    """An HTML page's title, date, site name and URL, from its metadata (trafilatura and htmldate).

    Returns
    -------
    dict
        Keys ``title``, ``date`` (a Timestamp or None), ``outlet`` (the site
        name) and ``url``; None where the page does not say.

    Examples
    --------
    >>> from themescope.metadata import html_metadata
    >>> page = ('<html><head><title>Quad summit</title>'
    ...         '<meta property="article:published_time" content="2021-09-24"></head>'
    ...         '<body><p>Leaders met.</p></body></html>')
    >>> meta = html_metadata(page)
    >>> meta["title"], meta["date"]
    ('Quad summit', Timestamp('2021-09-24 00:00:00'))
    """
    try:
        import trafilatura
    except ImportError as error:
        raise ImportError(
            "reading HTML pages needs trafilatura, in the html extra: pip install 'themescope[html]'"
        ) from error
    empty: dict[str, Any] = {"title": None, "date": None, "outlet": None, "url": None}
    if not html.strip():
        return empty
    # Only the page's own metadata and markup: never today's date as a fallback, never the network.
    found = trafilatura.extract_metadata(
        html, date_config={"extensive_search": False, "original_date": True, "max_date": "2100-01-01"})
    if found is None:
        return empty
    date = found.date
    url = found.url
    stamp = _parse_one(date) if date else None
    if stamp is None and url:
        stamp = date_from_url(url)
    return {"title": found.title or None, "date": stamp, "outlet": found.sitename or None, "url": url or None}


def document_metadata(texts: Any, ids: np.ndarray, languages: np.ndarray) -> pd.DataFrame:
    """What :meth:`Explorer.fit` keeps as ``metadata_``: every column but ``id`` and ``text``, and the language.

    Parameters
    ----------
    texts : DataFrame or anything else ``fit`` takes
        Only a DataFrame has metadata; for other inputs the frame has the
        ``language`` column alone.
    ids, languages : ndarray
        The fitted ids (the index) and languages.

    Returns
    -------
    pandas.DataFrame
        Indexed by the ids (named ``id``), aligned with ``ids_``. A ``date``
        column is parsed into datetime64 if it is not already (see
        :func:`parse_dates`); ``language`` is the identified language unless
        the table has its own ``language`` column.
    """
    index = pd.Index(ids, name="id")
    if isinstance(texts, pd.DataFrame):
        others = [c for c in texts.columns if c not in ("id", "text")]
        frame = pd.DataFrame({c: texts[c].to_numpy() for c in others}, index=index)
        if "date" in frame.columns and not pd.api.types.is_datetime64_any_dtype(frame["date"]):
            # the warning points at the user's Explorer.fit: document_metadata <- fit <- the user
            frame["date"] = parse_dates(frame["date"], source="values of column 'date'", stacklevel=4).to_numpy()
    else:
        frame = pd.DataFrame(index=index)
    if "language" not in frame.columns:
        frame["language"] = np.asarray(languages, dtype=object)
    return frame


def titles_of(metadata: pd.DataFrame | None, rows: np.ndarray) -> list[Any] | None:
    """The ``title`` of these rows (None where absent), or None when the corpus has no titles at all."""
    if metadata is None or "title" not in metadata.columns:
        return None
    column = metadata["title"]
    if column.map(_missing).all():
        return None
    values = column.to_numpy()[np.asarray(rows, dtype=np.int64)]
    return [None if _missing(v) else str(v) for v in values]


def label_of(metadata: pd.DataFrame | None, ids: np.ndarray, row: int) -> str:
    """How a person recognises an article: its title, else its id."""
    titles = titles_of(metadata, np.array([row]))
    if titles is not None and titles[0] is not None:
        return str(titles[0])
    return str(ids[row])
