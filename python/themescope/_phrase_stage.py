"""How an Analyzer holds its phrase stage (kept apart from analysis.py: the stage's own code is phrases.py)."""

from __future__ import annotations

from typing import Any

from sklearn.base import clone
from sklearn.exceptions import NotFittedError


def stage_of(analyzer: Any) -> Any:
    """The analyzer's configured :class:`~themescope.Phrases`, or None when the stage is off."""
    from .phrases import Phrases

    setting = analyzer.phrases
    if setting is False or setting is None:
        return None
    if setting is True:
        return Phrases()
    if isinstance(setting, Phrases):
        return setting
    raise TypeError(f"phrases must be True, False or a themescope.Phrases, got {type(setting).__name__} {setting!r}")


def learned_pairs(analyzer: Any) -> list[tuple[str, str]] | None:
    """The pairs the native analyzer joins (None: no phrase stage); NotFittedError before fit."""
    if stage_of(analyzer) is None:
        return None
    fitted = analyzer.__dict__.get("phrases_")
    if fitted is None:
        raise NotFittedError(
            "this Analyzer(phrases=...) has not learned its phrases yet: call fit(documents) first "
            "(the vectorizers' fit does it), or set phrases=False"
        )
    return list(fitted.pairs_)


def keeps_words(analyzer: Any) -> bool:
    """Whether the analyzer emits a phrase's words beside it."""
    stage = stage_of(analyzer)
    return bool(stage is not None and stage.keep_words)


def fit_stage(analyzer: Any, documents: Any, languages: Any = None) -> None:
    """Learn the analyzer's phrases from ``documents`` (forget them when the stage is off)."""
    stage = stage_of(analyzer)
    analyzer.__dict__.pop("phrases_", None)
    if stage is None:
        return
    analyzer.phrases_ = clone(stage).fit(documents, analyzer=analyzer, languages=languages)


def needs_fit(analyzer: Any) -> bool:
    """Whether a vectorizer with this analyzer learns phrases before counting."""
    from .analysis import Analyzer

    return isinstance(analyzer, Analyzer) and stage_of(analyzer) is not None


def cloned(analyzer: Any, **params: Any) -> Any:
    """``clone(analyzer).set_params(**params)``, keeping the phrases it learned (a clone has none)."""
    copy = clone(analyzer).set_params(**params)
    if "phrases_" in analyzer.__dict__ and stage_of(copy) is not None:
        copy.phrases_ = analyzer.phrases_
    return copy
