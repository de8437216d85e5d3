"""Every context's ORM models, imported once so the metadata is complete (Alembic, tests)."""

from floorwalker.assistant import models as assistant_models
from floorwalker.audit import models as audit_models
from floorwalker.auth import models as auth_models
from floorwalker.catalog import models as catalog_models
from floorwalker.connectors import models as connectors_models
from floorwalker.customers import models as customers_models
from floorwalker.events import models as events_models
from floorwalker.insights import models as insights_models
from floorwalker.inventory import models as inventory_models
from floorwalker.kit import idempotency
from floorwalker.kit.db import Base
from floorwalker.knowledge import models as knowledge_models
from floorwalker.orders import models as orders_models
from floorwalker.privacy import models as privacy_models
from floorwalker.recommend import models as recommend_models
from floorwalker.search import models as search_models
from floorwalker.stores import models as stores_models

metadata = Base.metadata

__all__ = [
    "assistant_models",
    "audit_models",
    "auth_models",
    "catalog_models",
    "connectors_models",
    "customers_models",
    "events_models",
    "idempotency",
    "insights_models",
    "inventory_models",
    "knowledge_models",
    "metadata",
    "orders_models",
    "privacy_models",
    "recommend_models",
    "search_models",
    "stores_models",
]
