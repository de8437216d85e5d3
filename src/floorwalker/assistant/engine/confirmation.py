"""A clear "yes" or "no" to the proposal shown in the previous reply.

Decided here, by rule, before any model sees the message: a model (or text a model read) can
never turn something else into a confirmation. Anything hedged ("yes, but…", "yes?") is not a
clear yes, and the proposal stays open for the button or a clearer answer.
"""

from __future__ import annotations

import re

_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|yes please|sure|ok|okay|confirm|confirmed|i confirm|go ahead|"
    r"do it|please do|sounds good|that'?s right|correct|absolutely|y|proceed|go for it)\b",
    re.I,
)
_NO = re.compile(
    r"^(?:no|nope|nah|don'?t|do not|cancel that|never ?mind|stop|leave it|not now|keep it|"
    r"forget it|i changed my mind|decline)\b",
    re.I,
)
_HEDGE = re.compile(r"\b(?:but|however|wait|instead|actually|not sure|unless|although)\b|\?", re.I)
_NEGATION = re.compile(r"\b(?:not|don'?t|do not|no|never)\b", re.I)


def _clean(text: str) -> str:
    return " ".join(re.sub(r"[!.,]+", " ", text).split()).strip().lower()


def is_clear_yes(text: str) -> bool:
    """A short, unhedged, affirmative answer."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned.split()) > 8 or _HEDGE.search(text):
        return False
    return bool(_YES.match(cleaned)) and not _NEGATION.search(cleaned)


def is_clear_no(text: str) -> bool:
    """A short, unhedged refusal."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned.split()) > 8 or _HEDGE.search(text):
        return False
    return bool(_NO.match(cleaned))
