"""The recommender's fixtures (the fixture shop, trained)."""

from tests.recommend.conftest import shop, trained  # noqa: F401 - fixtures used by these tests
