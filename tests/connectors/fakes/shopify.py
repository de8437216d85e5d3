"""A fake Shopify Admin GraphQL API, answering the connector's named operations.

Nodes and payloads follow the shapes in Shopify's public Admin GraphQL reference (Product,
ProductVariant, InventoryItem/InventoryLevel, Customer, Order; `pageInfo` cursor pagination;
`extensions.cost.throttleStatus`; THROTTLED errors) and the REST-shaped webhook bodies.
The query-cost bucket refills with the virtual clock, so throttling is exact.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.connectors.fakes.server import FakeServer, VirtualClock

#: Requested cost of each operation (a page of 10 products with 60 variants is expensive).
COSTS = {
    "Shop": 1,
    "Products": 620,
    "ProductVariants": 102,
    "Locations": 52,
    "Inventory": 300,
    "Customers": 202,
    "Orders": 560,
    "OrderFulfillmentLines": 40,
}
VARIANTS_FIRST = 60
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


def gid(kind: str, number: int | str) -> str:
    """A Shopify global id."""
    return f"gid://shopify/{kind}/{number}"


def variant_node(
    number: int,
    *,
    price: str,
    sku: str | None = None,
    options: dict[str, str] | None = None,
    compare_at: str | None = None,
    position: int = 1,
    inventory_item: int | None = None,
    updated_at: str = "2024-05-01T10:00:00Z",
    weight_grams: float | None = None,
) -> dict[str, Any]:
    """A ProductVariant node."""
    selected = options or {"Title": "Default Title"}
    return {
        "id": gid("ProductVariant", number),
        "sku": sku,
        "barcode": None,
        "title": " / ".join(selected.values()),
        "price": price,
        "compareAtPrice": compare_at,
        "position": position,
        "updatedAt": updated_at,
        "selectedOptions": [{"name": k, "value": v} for k, v in selected.items()],
        "inventoryItem": {
            "id": gid("InventoryItem", inventory_item or number + 500_000),
            "measurement": {"weight": {"unit": "GRAMS", "value": weight_grams}}
            if weight_grams is not None
            else {"weight": None},
        },
        "image": None,
    }


def product_node(
    number: int,
    *,
    title: str,
    variants: list[dict[str, Any]],
    handle: str | None = None,
    vendor: str = "Northwind",
    product_type: str = "Shirts",
    status: str = "ACTIVE",
    tags: list[str] | None = None,
    options: list[str] | None = None,
    updated_at: str = "2024-05-01T10:00:00Z",
    description: str = "A breathable linen shirt.",
) -> dict[str, Any]:
    """A Product node."""
    return {
        "id": gid("Product", number),
        "handle": handle or title.lower().replace(" ", "-"),
        "title": title,
        "description": description,
        "productType": product_type,
        "vendor": vendor,
        "status": status,
        "tags": tags or [],
        "updatedAt": updated_at,
        "category": {"fullName": "Apparel & Accessories > Clothing > Shirts"},
        "options": [
            {"name": name, "position": i + 1} for i, name in enumerate(options or ["Title"])
        ],
        "media": {
            "nodes": [
                {"image": {"url": f"https://cdn.shopify.example/{number}.jpg", "altText": title}}
            ]
        },
        "_variants": variants,
    }


def customer_node(
    number: int,
    *,
    email: str,
    first: str = "Ada",
    last: str = "Lovelace",
    updated_at: str = "2024-05-01T10:00:00Z",
    addresses: list[dict[str, Any]] | None = None,
    subscribed: bool = False,
) -> dict[str, Any]:
    """A Customer node; the first address is the default."""
    addresses = (
        addresses
        if addresses is not None
        else [
            {
                "id": gid("MailingAddress", number * 10),
                "name": f"{first} {last}",
                "address1": "12 St James's Square",
                "address2": None,
                "city": "London",
                "province": None,
                "zip": "SW1Y 4JH",
                "countryCodeV2": "GB",
                "phone": None,
            }
        ]
    )
    return {
        "id": gid("Customer", number),
        "firstName": first,
        "lastName": last,
        "email": email,
        "phone": None,
        "tags": [],
        "updatedAt": updated_at,
        "locale": "en",
        "emailMarketingConsent": {
            "marketingState": "SUBSCRIBED" if subscribed else "NOT_SUBSCRIBED"
        },
        "defaultAddress": {"id": addresses[0]["id"]} if addresses else None,
        "addresses": addresses,
    }


def order_node(
    number: int,
    *,
    name: str,
    customer: int | None,
    lines: list[tuple[int, int, int, str]],
    updated_at: str = "2024-05-02T10:00:00Z",
    created_at: str = "2024-05-02T09:00:00Z",
    cancelled_at: str | None = None,
    fulfillment_status: str = "UNFULFILLED",
    fulfilled: bool = False,
    gateway: str = "shopify_payments",
    currency: str = "USD",
) -> dict[str, Any]:
    """An Order node; lines are (line id, variant id, quantity, unit price)."""
    total = sum(q * float(p) for _, _, q, p in lines)
    line_nodes = [
        {
            "id": gid("LineItem", line_id),
            "sku": f"SKU-{variant}",
            "title": "Linen Shirt",
            "variantTitle": "M / Blue",
            "quantity": qty,
            "variant": {"id": gid("ProductVariant", variant)},
            "originalUnitPriceSet": {"shopMoney": {"amount": price, "currencyCode": currency}},
        }
        for line_id, variant, qty, price in lines
    ]
    return {
        "id": gid("Order", number),
        "name": name,
        "email": "ada@example.com",
        "note": None,
        "createdAt": created_at,
        "updatedAt": updated_at,
        "cancelledAt": cancelled_at,
        "cancelReason": "CUSTOMER" if cancelled_at else None,
        "currencyCode": currency,
        "displayFinancialStatus": "PAID",
        "displayFulfillmentStatus": fulfillment_status,
        "returnStatus": "NO_RETURN",
        "customer": {"id": gid("Customer", customer)} if customer else None,
        "totalPriceSet": {"shopMoney": {"amount": f"{total:.2f}"}},
        "totalShippingPriceSet": {"shopMoney": {"amount": "0.00"}},
        "totalTaxSet": {"shopMoney": {"amount": "0.00"}},
        "totalDiscountsSet": {"shopMoney": {"amount": "0.00"}},
        "shippingAddress": {
            "name": "Ada Lovelace",
            "address1": "12 St James's Square",
            "address2": None,
            "city": "London",
            "province": None,
            "zip": "SW1Y 4JH",
            "countryCodeV2": "GB",
            "phone": None,
        },
        "lineItems": {"nodes": line_nodes},
        "fulfillments": [
            {
                "id": gid("Fulfillment", number * 10),
                "status": "SUCCESS",
                "displayStatus": "DELIVERED",
                "createdAt": created_at,
                "deliveredAt": updated_at,
                "trackingInfo": [{"company": "UPS", "number": "1Z999", "url": None}],
                "fulfillmentLineItems": {
                    "nodes": [
                        {
                            "id": gid("FulfillmentLineItem", line_id * 7),
                            "lineItem": {"id": gid("LineItem", line_id)},
                            "quantity": qty,
                        }
                        for line_id, _, qty, _ in lines
                    ]
                },
            }
        ]
        if fulfilled
        else [],
        "transactions": [
            {
                "id": gid("OrderTransaction", number * 100),
                "kind": "SALE",
                "status": "SUCCESS",
                "gateway": gateway,
                "createdAt": created_at,
                "amountSet": {"shopMoney": {"amount": f"{total:.2f}"}},
            }
        ],
    }


def inventory_node(item: int, variant: int, levels: list[tuple[int, int, str]]) -> dict[str, Any]:
    """An InventoryItem node; levels are (location id, available, updated at)."""
    return {
        "id": gid("InventoryItem", item),
        "updatedAt": levels[0][2] if levels else "2024-05-01T10:00:00Z",
        "variant": {"id": gid("ProductVariant", variant)},
        "inventoryLevels": {
            "nodes": [
                {
                    "updatedAt": at,
                    "location": {"id": gid("Location", loc)},
                    "quantities": [{"name": "available", "quantity": qty}],
                }
                for loc, qty, at in levels
            ]
        },
    }


_SINCE = re.compile(r"updated_at:>'([^']+)'")


class FakeShopify:
    """The fake Admin API with its data, its cost bucket and a log of what it was asked."""

    def __init__(self, token: str = "shpat_test_token", currency: str = "USD") -> None:
        self.token = token
        self.currency = currency
        self.clock = VirtualClock()
        self.maximum, self.available, self.restore = 1000.0, 1000.0, 50.0
        self.seen = self.clock()
        self.products: list[dict[str, Any]] = []
        self.locations: list[dict[str, Any]] = [
            {"id": gid("Location", 1), "name": "Main warehouse", "isActive": True}
        ]
        self.inventory: list[dict[str, Any]] = []
        self.customers: list[dict[str, Any]] = []
        self.orders: list[dict[str, Any]] = []
        self.mutations: list[tuple[str, dict[str, Any]]] = []
        self.user_errors: dict[str, list[dict[str, Any]]] = {}
        app = Starlette(
            routes=[Route("/admin/api/{version}/graphql.json", self._graphql, methods=["POST"])]
        )
        self.server = FakeServer(app)

    @property
    def url(self) -> str:
        """The shop's base URL."""
        return self.server.url

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request received: operation and variables."""
        return self.server.requests

    def start(self) -> FakeShopify:
        """Serve on loopback."""
        self.server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()

    def _bucket(self, cost: float) -> dict[str, Any]:
        return {
            "requestedQueryCost": cost,
            "actualQueryCost": cost,
            "throttleStatus": {
                "maximumAvailable": self.maximum,
                "currentlyAvailable": self.available,
                "restoreRate": self.restore,
            },
        }

    async def _graphql(self, request: Request) -> JSONResponse:
        body = await request.json()
        operation = body.get("operationName")
        variables = body.get("variables") or {}
        self.server.requests.append({"operation": operation, "variables": variables})
        if request.headers.get("x-shopify-access-token") != self.token:
            return JSONResponse(
                {"errors": INVALID_TOKEN},
                status_code=401,
            )
        fault = self.server.next_fault()
        if fault is not None and not fault.throttled:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return JSONResponse(
                {"errors": "Internal error"}, status_code=fault.status, headers=headers
            )
        cost = float(COSTS.get(operation, 10))
        now = self.clock()
        self.available = min(self.maximum, self.available + (now - self.seen) * self.restore)
        self.seen = now
        if (fault is not None and fault.throttled) or cost > self.available:
            return JSONResponse(
                {
                    "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                    "extensions": {"cost": {**self._bucket(cost), "actualQueryCost": None}},
                }
            )
        self.available -= cost
        if operation in {
            "OrderCancel",
            "OrderUpdate",
            "OrderEditBegin",
            "OrderEditSetQuantity",
            "OrderEditAddVariant",
            "OrderEditCommit",
            "ReturnCreate",
            "RefundCreate",
        }:
            self.mutations.append((operation, variables))
            data = self._mutation(operation, variables)
        else:
            data = self._query(operation, variables)
        return JSONResponse({"data": data, "extensions": {"cost": self._bucket(cost)}})

    def _page(self, items: list[dict[str, Any]], variables: dict[str, Any]) -> dict[str, Any]:
        since_match = _SINCE.search(variables.get("query") or "")
        if since_match:
            since = dt.datetime.fromisoformat(since_match.group(1).replace("Z", "+00:00"))
            items = [
                i
                for i in items
                if dt.datetime.fromisoformat(i["updatedAt"].replace("Z", "+00:00")) > since
            ]
        items = sorted(items, key=lambda i: (i.get("updatedAt", ""), i["id"]))
        start = int(variables.get("after") or 0)
        first = int(variables.get("first") or 50)
        chunk = items[start : start + first]
        more = start + first < len(items)
        return {
            "pageInfo": {"hasNextPage": more, "endCursor": str(start + first) if more else None},
            "nodes": chunk,
        }

    def _product(self, node: dict[str, Any]) -> dict[str, Any]:
        variants = node["_variants"]
        shown = variants[:VARIANTS_FIRST]
        more = len(variants) > VARIANTS_FIRST
        return {
            **{k: v for k, v in node.items() if k != "_variants"},
            "variants": {
                "pageInfo": {
                    "hasNextPage": more,
                    "endCursor": str(VARIANTS_FIRST) if more else None,
                },
                "nodes": shown,
            },
        }

    def _query(self, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
        if operation == "Shop":
            return {
                "shop": {
                    "name": "Fake shop",
                    "currencyCode": self.currency,
                    "myshopifyDomain": "fake.myshopify.com",
                }
            }
        if operation == "Products":
            page = self._page(self.products, variables)
            page["nodes"] = [self._product(n) for n in page["nodes"]]
            return {"products": page}
        if operation == "ProductVariants":
            node = next(p for p in self.products if p["id"] == variables["id"])
            start = int(variables.get("after") or 0)
            rest = node["_variants"][start : start + 100]
            more = start + 100 < len(node["_variants"])
            return {
                "product": {
                    "variants": {
                        "pageInfo": {
                            "hasNextPage": more,
                            "endCursor": str(start + 100) if more else None,
                        },
                        "nodes": rest,
                    }
                }
            }
        if operation == "Locations":
            return {
                "locations": self._page(
                    [{**loc, "updatedAt": ""} for loc in self.locations], variables
                )
            }
        if operation == "Inventory":
            return {"inventoryItems": self._page(self.inventory, variables)}
        if operation == "Customers":
            return {"customers": self._page(self.customers, variables)}
        if operation == "Orders":
            return {"orders": self._page(self.orders, variables)}
        if operation == "OrderFulfillmentLines":
            order = next((o for o in self.orders if o["id"] == variables["id"]), None)
            if order is None:
                return {"order": None}
            return {
                "order": {
                    "fulfillments": [
                        {"fulfillmentLineItems": f["fulfillmentLineItems"]}
                        for f in order["fulfillments"]
                    ],
                    "transactions": order["transactions"],
                }
            }
        return {}

    def _mutation(self, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
        errors = self.user_errors.get(operation, [])
        if operation == "OrderCancel":
            return {
                "orderCancel": {
                    "job": None if errors else {"id": gid("Job", 1), "done": False},
                    "orderCancelUserErrors": errors,
                }
            }
        if operation == "OrderUpdate":
            return {
                "orderUpdate": {
                    "order": {"id": variables["input"]["id"], "updatedAt": "2024-06-01T00:00:00Z"},
                    "userErrors": errors,
                }
            }
        if operation == "OrderEditBegin":
            order = next(o for o in self.orders if o["id"] == variables["id"])
            return {
                "orderEditBegin": {
                    "calculatedOrder": {
                        "id": gid("CalculatedOrder", 1),
                        "lineItems": {
                            "nodes": [
                                {
                                    "id": gid("CalculatedLineItem", li["id"].rsplit("/", 1)[-1]),
                                    "quantity": li["quantity"],
                                    "variant": li["variant"],
                                }
                                for li in order["lineItems"]["nodes"]
                            ]
                        },
                    },
                    "userErrors": errors,
                }
            }
        if operation in {"OrderEditSetQuantity", "OrderEditAddVariant"}:
            key = operation[0].lower() + operation[1:]
            return {key: {"calculatedOrder": {"id": variables["id"]}, "userErrors": errors}}
        if operation == "OrderEditCommit":
            return {
                "orderEditCommit": {
                    "order": {"id": gid("Order", 1), "updatedAt": "2024-06-01T00:00:00Z"},
                    "userErrors": errors,
                }
            }
        if operation == "ReturnCreate":
            return {
                "returnCreate": {
                    "return": {"id": gid("Return", 1), "status": "OPEN"},
                    "userErrors": errors,
                }
            }
        if operation == "RefundCreate":
            return {
                "refundCreate": {
                    "refund": {
                        "id": gid("Refund", 1),
                        "totalRefundedSet": {"shopMoney": {"amount": "0"}},
                    },
                    "userErrors": errors,
                }
            }
        return {}


def fill(shopify: FakeShopify) -> None:
    """A small shop: two products, their stock, a customer and an order."""
    shopify.products = [
        product_node(
            1,
            title="Linen Shirt",
            options=["Size", "Colour"],
            tags=["linen", "summer"],
            variants=[
                variant_node(
                    11,
                    price="45.00",
                    sku="LS-M-BLU",
                    options={"Size": "M", "Colour": "Blue"},
                    position=1,
                    inventory_item=911,
                ),
                variant_node(
                    12,
                    price="45.00",
                    sku="LS-L-BLU",
                    options={"Size": "L", "Colour": "Blue"},
                    position=2,
                    inventory_item=912,
                    compare_at="55.00",
                ),
            ],
        ),
        product_node(
            2,
            title="Canvas Tote",
            product_type="Bags",
            variants=[variant_node(21, price="19.99", sku="TOTE", inventory_item=921)],
        ),
    ]
    shopify.inventory = [
        inventory_node(911, 11, [(1, 5, "2024-05-01T10:00:00Z")]),
        inventory_node(912, 12, [(1, 0, "2024-05-01T10:00:00Z")]),
        inventory_node(921, 21, [(1, 12, "2024-05-01T10:00:00Z")]),
    ]
    shopify.customers = [customer_node(7, email="ada@example.com", subscribed=True)]
    shopify.orders = [order_node(1001, name="#1001", customer=7, lines=[(51, 11, 2, "45.00")])]


# ---------------------------------------------------------------- REST-shaped webhook bodies


def product_webhook(
    number: int,
    *,
    title: str,
    price: str,
    updated_at: str,
    variant: int = 11,
    inventory_item: int = 911,
) -> dict[str, Any]:
    """A products/update body as Shopify documents it."""
    return {
        "admin_graphql_api_id": gid("Product", number),
        "body_html": "<p>A breathable <strong>linen</strong> shirt.</p>",
        "created_at": "2024-01-01T10:00:00-05:00",
        "handle": title.lower().replace(" ", "-"),
        "id": number,
        "product_type": "Shirts",
        "published_at": "2024-01-01T10:00:00-05:00",
        "template_suffix": None,
        "title": title,
        "updated_at": updated_at,
        "vendor": "Northwind",
        "status": "active",
        "published_scope": "web",
        "tags": "linen, summer",
        "variants": [
            {
                "admin_graphql_api_id": gid("ProductVariant", variant),
                "barcode": None,
                "compare_at_price": None,
                "created_at": "2024-01-01T10:00:00-05:00",
                "id": variant,
                "inventory_policy": "deny",
                "position": 1,
                "price": price,
                "product_id": number,
                "sku": f"SKU-{variant}",
                "taxable": True,
                "title": "Default Title",
                "updated_at": updated_at,
                "option1": "Default Title",
                "option2": None,
                "option3": None,
                "image_id": None,
                "inventory_item_id": inventory_item,
                "inventory_quantity": 4,
                "old_inventory_quantity": 4,
            }
        ],
        "options": [
            {
                "id": 1,
                "product_id": number,
                "name": "Title",
                "position": 1,
                "values": ["Default Title"],
            }
        ],
        "images": [],
        "image": None,
    }


def inventory_webhook(item: int, location: int, available: int, updated_at: str) -> dict[str, Any]:
    """An inventory_levels/update body."""
    return {
        "inventory_item_id": item,
        "location_id": location,
        "available": available,
        "updated_at": updated_at,
        "admin_graphql_api_id": f"gid://shopify/InventoryLevel/{location}?inventory_item_id={item}",
    }
