"""Errors of the recommend context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, Forbidden, Invalid, NotFound


class RecommendError(AppError):
    """Base of the recommend family."""


class InteractionFileInvalid(RecommendError, Invalid):
    """An interactions file that cannot be read: missing columns, bad values, unknown format."""

    code = "interactions_invalid"


class EvaluationInvalid(RecommendError, Invalid):
    """An evaluation that cannot run as asked (no test customers, bad k, empty split)."""

    code = "evaluation_invalid"


class RecommendationRequestInvalid(RecommendError, Invalid):
    """A recommendation request missing what its surface needs (a product, a cart)."""

    code = "recommendation_request_invalid"


class PersonalRecommendationsForbidden(RecommendError, Forbidden):
    """A widget key asked for a named customer's personal recommendations."""

    code = "personal_recommendations_forbidden"

    def __init__(self) -> None:
        super().__init__(
            "Personal recommendations for a customer need a read key or a verified shopper; "
            "a publishable key may ask for a session's or non-personal lists only."
        )


class RuleNotFound(RecommendError, NotFound):
    """No pin or block with that id in the store."""

    code = "recommendation_rule_not_found"

    def __init__(self, rule_id: int) -> None:
        super().__init__(f"Recommendation rule {rule_id} not found.", rule_id=rule_id)


class RuleConflict(RecommendError, Conflict):
    """The product already has a pin or block on that surface."""

    code = "recommendation_rule_exists"


class ModelNotAvailable(RecommendError, NotFound):
    """No trained model version to load, or the asked-for version does not exist."""

    code = "recommendation_model_not_found"


class TrainingInvalid(RecommendError, Invalid):
    """Training cannot run: no catalog, or a training already running for the store."""

    code = "recommendation_training_invalid"
