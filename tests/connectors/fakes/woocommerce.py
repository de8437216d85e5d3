"""A fake WooCommerce REST API v3 (`/wp-json/wc/v3`), with page pagination and basic auth.

Resources follow WooCommerce's documented shapes (products with `type`, `variations` ids and
`attributes`; variations; customers with billing/shipping; orders with `line_items` and
`refunds`); lists answer with `X-WP-Total` and `X-WP-TotalPages`; `modified_after` filters by
`date_modified_gmt`. Writes (order updates, refunds, notes) are recorded.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.connectors.fakes.server import FakeServer


def simple_product(
    number: int,
    *,
    name: str,
    price: str,
    sku: str,
    stock: int | None = None,
    sale_price: str = "",
    modified: str = "2024-05-01T10:00:00",
) -> dict[str, Any]:
    """A simple product."""
    return {
        "id": number,
        "name": name,
        "slug": name.lower().replace(" ", "-"),
        "type": "simple",
        "status": "publish",
        "description": f"<p>{name}, made to last.</p>",
        "short_description": "",
        "sku": sku,
        "price": sale_price or price,
        "regular_price": price,
        "sale_price": sale_price,
        "on_sale": bool(sale_price),
        "date_modified_gmt": modified,
        "manage_stock": stock is not None,
        "stock_quantity": stock,
        "stock_status": "instock",
        "weight": "0.4",
        "categories": [{"id": 9, "name": "Bags", "slug": "bags"}],
        "tags": [{"id": 1, "name": "canvas", "slug": "canvas"}],
        "images": [{"id": 5, "src": f"https://shop.example/{number}.jpg", "alt": name}],
        "attributes": [],
        "variations": [],
    }


def variable_product(
    number: int, *, name: str, sizes: list[str], modified: str = "2024-05-01T10:00:00"
) -> dict[str, Any]:
    """A variable product varying by size (its variations are served separately)."""
    return {
        **simple_product(number, name=name, price="", sku="", modified=modified),
        "type": "variable",
        "attributes": [
            {
                "id": 1,
                "name": "Size",
                "position": 0,
                "visible": True,
                "variation": True,
                "options": sizes,
            },
            {
                "id": 2,
                "name": "Material",
                "position": 1,
                "visible": True,
                "variation": False,
                "options": ["Merino"],
            },
        ],
        "categories": [{"id": 3, "name": "Knitwear", "slug": "knitwear"}],
    }


def variation(
    number: int,
    *,
    size: str,
    price: str,
    sku: str,
    stock: int,
    modified: str = "2024-05-01T10:00:00",
) -> dict[str, Any]:
    """A variation of a variable product."""
    return {
        "id": number,
        "sku": sku,
        "status": "publish",
        "price": price,
        "regular_price": price,
        "sale_price": "",
        "on_sale": False,
        "date_modified_gmt": modified,
        "manage_stock": True,
        "stock_quantity": stock,
        "weight": "",
        "attributes": [{"id": 1, "name": "Size", "option": size}],
        "image": None,
    }


def customer(number: int, *, email: str, modified: str = "2024-05-01T10:00:00") -> dict[str, Any]:
    """A customer with matching billing and shipping addresses."""
    address = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "company": "",
        "address_1": "1 Navy Yard",
        "address_2": "",
        "city": "Arlington",
        "state": "VA",
        "postcode": "22202",
        "country": "US",
    }
    return {
        "id": number,
        "date_modified_gmt": modified,
        "email": email,
        "first_name": "Grace",
        "last_name": "Hopper",
        "role": "customer",
        "billing": {**address, "email": email, "phone": "+1 555 0100"},
        "shipping": address,
    }


def order(
    number: int,
    *,
    customer_id: int,
    lines: list[tuple[int, int, int, int, float]],
    status: str = "processing",
    modified: str = "2024-05-02T10:00:00",
) -> dict[str, Any]:
    """An order; lines are (line id, product id, variation id, quantity, unit price)."""
    total = sum(q * p for _, _, _, q, p in lines)
    return {
        "id": number,
        "number": str(number),
        "status": status,
        "currency": "USD",
        "date_created_gmt": "2024-05-02T09:00:00",
        "date_modified_gmt": modified,
        "date_paid_gmt": "2024-05-02T09:01:00",
        "date_completed_gmt": None,
        "discount_total": "0.00",
        "shipping_total": "0.00",
        "total_tax": "0.00",
        "total": f"{total:.2f}",
        "customer_id": customer_id,
        "customer_note": "",
        "billing": {"email": "grace@example.com"},
        "shipping": {
            "first_name": "Grace",
            "last_name": "Hopper",
            "address_1": "1 Navy Yard",
            "address_2": "",
            "city": "Arlington",
            "state": "VA",
            "postcode": "22202",
            "country": "US",
        },
        "payment_method": "stripe",
        "payment_method_title": "Credit card (Stripe)",
        "transaction_id": f"ch_{number}",
        "line_items": [
            {
                "id": lid,
                "name": "Merino Jumper",
                "product_id": pid,
                "variation_id": vid,
                "quantity": qty,
                "sku": f"SKU-{vid or pid}",
                "price": price,
                "total": f"{qty * price:.2f}",
            }
            for lid, pid, vid, qty, price in lines
        ],
        "refunds": [],
    }


class FakeWooCommerce:
    """The fake REST API with its data and a log of writes."""

    def __init__(self, key: str = "ck_test", secret: str = "cs_test") -> None:
        self.key, self.secret = key, secret
        self.products: list[dict[str, Any]] = []
        self.variations: dict[int, list[dict[str, Any]]] = {}
        self.customers: list[dict[str, Any]] = []
        self.orders: list[dict[str, Any]] = []
        self.writes: list[tuple[str, str, dict[str, Any]]] = []
        base = "/wp-json/wc/v3"
        app = Starlette(
            routes=[
                Route(f"{base}/products", self._products),
                Route(f"{base}/products/{{pid:int}}/variations", self._variations),
                Route(f"{base}/customers", self._customers),
                Route(f"{base}/orders", self._orders),
                Route(f"{base}/orders/{{oid:int}}", self._order, methods=["GET", "PUT"]),
                Route(f"{base}/orders/{{oid:int}}/refunds", self._refund, methods=["POST"]),
                Route(f"{base}/orders/{{oid:int}}/notes", self._note, methods=["POST"]),
            ]
        )
        self.server = FakeServer(app)

    @property
    def url(self) -> str:
        """The site's address."""
        return self.server.url

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request: method, path and query."""
        return self.server.requests

    def start(self) -> FakeWooCommerce:
        """Serve on loopback."""
        self.server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()

    async def _guard(self, request: Request) -> JSONResponse | None:
        self.server.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": dict(request.query_params),
            }
        )
        expected = "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return JSONResponse(
                {
                    "code": "woocommerce_rest_cannot_view",
                    "message": "Sorry, you cannot list resources.",
                    "data": {"status": 401},
                },
                status_code=401,
            )
        fault = self.server.next_fault()
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return JSONResponse(
                {"code": "internal_server_error"}, status_code=fault.status, headers=headers
            )
        return None

    def _list(self, request: Request, items: list[dict[str, Any]]) -> JSONResponse:
        after = request.query_params.get("modified_after")
        if after:
            items = [i for i in items if i.get("date_modified_gmt", "") > after]
        items = sorted(items, key=lambda i: i["id"])
        page = int(request.query_params.get("page", 1))
        per_page = int(request.query_params.get("per_page", 10))
        chunk = items[(page - 1) * per_page : page * per_page]
        pages = max(1, -(-len(items) // per_page))
        return JSONResponse(
            chunk, headers={"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)}
        )

    async def _products(self, request: Request) -> JSONResponse:
        return await self._guard(request) or self._list(request, self.products)

    async def _variations(self, request: Request) -> JSONResponse:
        pid = int(request.path_params["pid"])
        return await self._guard(request) or self._list(request, self.variations.get(pid, []))

    async def _customers(self, request: Request) -> JSONResponse:
        return await self._guard(request) or self._list(request, self.customers)

    async def _orders(self, request: Request) -> JSONResponse:
        return await self._guard(request) or self._list(request, self.orders)

    async def _order(self, request: Request) -> JSONResponse:
        refused = await self._guard(request)
        if refused:
            return refused
        oid = int(request.path_params["oid"])
        found = next((o for o in self.orders if o["id"] == oid), None)
        if found is None:
            return JSONResponse({"code": "woocommerce_rest_shop_order_invalid_id"}, status_code=404)
        if request.method == "PUT":
            body = await request.json()
            self.writes.append(("PUT", f"/orders/{oid}", body))
            found.update({k: v for k, v in body.items() if k != "line_items"})
        return JSONResponse(found)

    async def _refund(self, request: Request) -> JSONResponse:
        refused = await self._guard(request)
        if refused:
            return refused
        body = await request.json()
        oid = int(request.path_params["oid"])
        self.writes.append(("POST", f"/orders/{oid}/refunds", body))
        return JSONResponse(
            {"id": 700 + len(self.writes), "amount": body.get("amount")}, status_code=201
        )

    async def _note(self, request: Request) -> JSONResponse:
        refused = await self._guard(request)
        if refused:
            return refused
        body = await request.json()
        oid = int(request.path_params["oid"])
        self.writes.append(("POST", f"/orders/{oid}/notes", body))
        return JSONResponse(
            {"id": 800 + len(self.writes), "note": body.get("note")}, status_code=201
        )
