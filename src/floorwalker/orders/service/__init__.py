"""Rules of the orders context: reading orders, support operations, loading orders.

Every operation comes in two phases. `plan_<operation>` validates everything and returns the
full outcome as a plan without writing; the executing function (`cancel`, `modify_address`,
…) re-plans inside the transaction with the rows locked, applies exactly that plan, records
an audit entry with the actor and honours an idempotency key. A refusal is an
`floorwalker.orders.errors.OrderError` with a stable code and leaves the database unchanged.

    from floorwalker.orders import service as order_service
    plan = await order_service.plan_cancel(session, actor, order_id=7, reason="ordered by mistake")
    done = await order_service.cancel(
        session, actor, order_id=7, reason="ordered by mistake", idempotency_key="p-31"
    )
"""

from floorwalker.orders.service.cancellation import cancel, plan_cancel
from floorwalker.orders.service.completion import (
    complete_exchange,
    complete_return,
    plan_complete_exchange,
    plan_complete_return,
)
from floorwalker.orders.service.exchanges import exchange_items, plan_exchange
from floorwalker.orders.service.items import modify_items, plan_modify_items
from floorwalker.orders.service.modification import (
    modify_address,
    modify_payment,
    plan_modify_address,
    plan_modify_payment,
)
from floorwalker.orders.service.privacy import (
    erase_person,
    export_person,
    guest_order_ids_of_source,
    open_orders,
    order_ids_by_external,
    orders_of_person,
)
from floorwalker.orders.service.reading import (
    count_orders,
    get_order,
    get_order_by_number,
    list_orders,
)
from floorwalker.orders.service.returns import plan_return, return_items
from floorwalker.orders.service.upserts import upsert_order, upsert_orders

__all__ = [
    "cancel",
    "complete_exchange",
    "complete_return",
    "count_orders",
    "erase_person",
    "exchange_items",
    "export_person",
    "get_order",
    "get_order_by_number",
    "guest_order_ids_of_source",
    "list_orders",
    "modify_address",
    "modify_items",
    "modify_payment",
    "open_orders",
    "order_ids_by_external",
    "orders_of_person",
    "plan_cancel",
    "plan_complete_exchange",
    "plan_complete_return",
    "plan_exchange",
    "plan_modify_address",
    "plan_modify_items",
    "plan_modify_payment",
    "plan_return",
    "return_items",
    "upsert_order",
    "upsert_orders",
]
