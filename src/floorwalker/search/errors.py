"""Errors of the search context."""

from __future__ import annotations

from floorwalker.errors import AppError, Invalid, NotFound


class SearchError(AppError):
    """Base of the search family."""


class SynonymRuleNotFound(SearchError, NotFound):
    """No synonym rule with that id in the store."""

    code = "synonym_rule_not_found"

    def __init__(self, rule_id: int) -> None:
        super().__init__(f"Synonym rule {rule_id} not found.", rule_id=rule_id)


class InvalidSearch(SearchError, Invalid):
    """A search request that cannot be answered as asked."""

    code = "invalid_search"


class InvalidJudgments(SearchError, Invalid):
    """A relevance judgments file that cannot be read."""

    code = "invalid_judgments"

    def __init__(self, detail: str, *, line: int | None = None) -> None:
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{detail}", line=line)
