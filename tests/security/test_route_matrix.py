# ruff: noqa: E501 - the matrix is a table: one route per line, its columns aligned.
"""Every route of the app against every kind of caller: the exact outcome, reviewed by hand.

The table lists each route (from `app.routes`, so a new route without a row fails the test)
and, per caller, the class of answer it must get. Columns (see `world.CREDENTIALS`):

    none  no credentials            owner  console session, owner role (with CSRF token)
    pub   publishable widget key    sadm   console session, admin role
    read  secret key, read scope    agent  console session, agent role
    write secret key, write scope   anlst  console session, analyst role
    admin secret key, admin scope   other  ANOTHER STORE's admin key

`2xx`/`3xx` are classes, numbers are exact statuses. Another store's admin meets store A's ids
and must get 404 (never 403, never data): on collection routes it gets its own store's (empty)
data, and no answer to it may contain anything of store A. Refused calls must change nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from fastapi.routing import iter_route_contexts

from tests.security.calls import CALLS, Call, _static
from tests.security.world import CREDENTIALS, Caller, World

# fmt: off
MATRIX: dict[tuple[str, str], str] = {
    # route                                                 none pub  read write admin owner sadm agent anlst other
    ("GET", "/openapi.json"):                                "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/docs"):                                        "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/docs/oauth2-redirect"):                        "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/redoc"):                                       "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/health"):                                   "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    # the store, keys, audit, staff
    ("GET", "/v1/store"):                                    "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("PATCH", "/v1/store"):                                  "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/store/policy/text"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/keys"):                                     "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("POST", "/v1/keys"):                                    "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("DELETE", "/v1/keys/{key_id}"):                         "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/audit"):                                    "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("POST", "/v1/staff/sign-in"):                           "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/staff/sign-out"):                          "401 401 401 401 401 2xx 2xx 2xx 2xx 401",
    ("GET", "/v1/staff/session"):                            "401 401 401 401 401 2xx 2xx 2xx 2xx 401",
    ("GET", "/v1/staff/me"):                                 "401 403 401 401 401 2xx 2xx 2xx 2xx 401",
    ("GET", "/v1/staff"):                                    "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("POST", "/v1/staff"):                                   "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("DELETE", "/v1/staff/{user_id}"):                       "401 403 403 403 2xx 2xx 2xx 403 403 404",
    # events, search
    ("POST", "/v1/events"):                                  "401 2xx 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("GET", "/v1/events"):                                   "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/search"):                                   "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/search/parse"):                             "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/search/status"):                            "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/search/reindex"):                          "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/search/synonyms"):                          "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/search/synonyms"):                         "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("PUT", "/v1/search/synonyms/{rule_id}"):                "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("DELETE", "/v1/search/synonyms/{rule_id}"):             "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    # catalogue
    ("GET", "/v1/products"):                                 "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/products/{product_id}"):                    "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/products"):                                "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("PATCH", "/v1/products/{product_id}"):                  "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/products/batch"):                          "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("DELETE", "/v1/products/{product_id}"):                 "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/variants"):                                 "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/variants/{variant_id}"):                    "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("GET", "/v1/categories"):                               "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/categories/{category_id}"):                 "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/categories"):                              "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("POST", "/v1/categories/batch"):                        "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("DELETE", "/v1/categories/{category_id}"):              "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/brands"):                                   "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/brands/{brand_id}"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/brands"):                                  "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("POST", "/v1/brands/batch"):                            "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("DELETE", "/v1/brands/{brand_id}"):                     "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/locations"):                                "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/locations/{location_id}"):                  "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/locations"):                               "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("POST", "/v1/locations/batch"):                         "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("DELETE", "/v1/locations/{location_id}"):               "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/inventory/levels"):                         "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/inventory/levels"):                        "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/inventory/levels/batch"):                  "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    # customers
    ("GET", "/v1/customers"):                                "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/customers/{customer_id}"):                  "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/customers"):                               "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("PATCH", "/v1/customers/{customer_id}"):                "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/customers/batch"):                         "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("DELETE", "/v1/customers/{customer_id}"):               "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("PUT", "/v1/customers/{customer_id}/consent/{purpose}"): "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("PATCH", "/v1/customers/{customer_id}/preferences"):    "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/customers/{customer_id}/default-address"): "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    # privacy: consent, export, erasure, receipts, retention; the audit log's export
    ("GET", "/v1/customers/{customer_id}/consent"):          "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("PUT", "/v1/customers/{customer_id}/consent"):          "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("GET", "/v1/conversations/{conversation_id}/consent"):  "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("PUT", "/v1/conversations/{conversation_id}/consent"):  "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("GET", "/v1/customers/{customer_id}/export"):           "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/customers/{customer_id}/erasure"):          "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("POST", "/v1/customers/{customer_id}/erase"):           "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/privacy/receipts"):                         "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/privacy/requests"):                         "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/privacy/receipts/{receipt_id}"):            "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/privacy/settings"):                         "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("PATCH", "/v1/privacy/settings"):                       "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("POST", "/v1/privacy/purge"):                           "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("POST", "/v1/privacy/requests/{request_id}/answer"):    "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/audit/export"):                             "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    # knowledge
    ("GET", "/v1/articles"):                                 "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/articles/{article_id}"):                    "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/articles"):                                "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("PATCH", "/v1/articles/{article_id}"):                  "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/articles/batch"):                          "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("DELETE", "/v1/articles/{article_id}"):                 "401 403 403 403 2xx 2xx 2xx 403 403 404",
    # orders
    ("GET", "/v1/orders"):                                   "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/orders/{order_id}"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/orders"):                                  "401 403 403 2xx 2xx 2xx 2xx 2xx 403 422",
    ("POST", "/v1/orders/batch"):                            "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("POST", "/v1/orders/{order_id}/cancel"):                "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/orders/{order_id}/modify-address"):        "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/orders/{order_id}/modify-payment"):        "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/orders/{order_id}/modify-items"):          "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/orders/{order_id}/returns"):               "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/orders/{order_id}/exchanges"):             "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/orders/{order_id}/returns/{return_id}/complete"):     "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/orders/{order_id}/exchanges/{exchange_id}/complete"): "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    # the assistant: the widget's routes, then the staff side
    ("POST", "/v1/conversations"):                           "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/conversations/{conversation_id}"):          "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("GET", "/v1/conversations/{conversation_id}/messages"): "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/conversations/{conversation_id}/messages"): "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("GET", "/v1/conversations/{conversation_id}/events"):   "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/conversations/{conversation_id}/proposals/{proposal_id}/confirm"): "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/conversations/{conversation_id}/proposals/{proposal_id}/decline"): "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/conversations/{conversation_id}/feedback"): "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/conversations/{conversation_id}/verify"):  "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("POST", "/v1/conversations/{conversation_id}/handoff"): "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("GET", "/v1/handoffs"):                                 "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("GET", "/v1/handoffs/events"):                          "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("GET", "/v1/handoffs/{handoff_id}"):                    "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/handoffs/{handoff_id}/take"):              "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/handoffs/{handoff_id}/reply"):             "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/handoffs/{handoff_id}/hand-back"):         "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("POST", "/v1/store/identity-secret"):                   "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/mail/outbox"):                              "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    # recommendations
    ("GET", "/v1/recommendations"):                          "401 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/recommendations/rules"):                    "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/recommendations/rules"):                   "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("DELETE", "/v1/recommendations/rules/{rule_id}"):       "401 403 403 2xx 2xx 2xx 2xx 2xx 403 404",
    ("GET", "/v1/recommendations/models"):                   "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/recommendations/models/train"):            "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    # connections, webhooks in and out
    ("POST", "/v1/connections"):                             "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/connections"):                              "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/connections/{ref}"):                        "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("PATCH", "/v1/connections/{ref}"):                      "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("DELETE", "/v1/connections/{ref}"):                     "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("POST", "/v1/connections/{ref}/sync"):                  "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/sync-runs"):                                "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/dead-letters"):                             "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("POST", "/v1/dead-letters/{letter_id}/replay"):         "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("POST", "/v1/dead-letters/{letter_id}/discard"):        "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("POST", "/v1/webhook-endpoints"):                       "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/webhook-endpoints"):                        "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"):        "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"):       "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/deliveries"):                               "401 403 403 403 2xx 2xx 2xx 403 403 2xx",
    ("GET", "/v1/deliveries/{delivery_id}"):                 "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("POST", "/v1/deliveries/{delivery_id}/retry"):          "401 403 403 403 2xx 2xx 2xx 403 403 404",
    # inbound platform webhooks authenticate by signature, whatever else is sent
    ("POST", "/v1/webhooks/{platform}/{token}"):             "401 401 401 401 401 401 401 401 401 401",
    # insights
    ("GET", "/v1/insights/stock"):                           "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/alerts"):                          "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/reorder"):                         "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/insights/forecasts/run"):                  "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("GET", "/v1/insights/forecasts/runs"):                  "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/forecasts/{variant_id}"):          "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("GET", "/v1/insights/stock-rules"):                     "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    # (a category of another store named in the body "does not exist": 422, as any unknown id)
    ("POST", "/v1/insights/stock-rules"):                    "401 403 403 403 2xx 2xx 2xx 403 403 422",
    ("PATCH", "/v1/insights/stock-rules/{rule_id}"):         "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("DELETE", "/v1/insights/stock-rules/{rule_id}"):        "401 403 403 403 2xx 2xx 2xx 403 403 404",
    ("GET", "/v1/insights/lost-demand"):                     "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/v1/insights/lost-demand"):                    "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("POST", "/v1/insights/lost-demand/refresh"):            "401 403 403 2xx 2xx 2xx 2xx 2xx 403 2xx",
    ("GET", "/v1/insights/conversations"):                   "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/topics"):                          "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/searches"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/recommendations"):                 "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/attribution"):                     "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/segments"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/insights/trending"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    # the console's own reads
    ("GET", "/v1/console/topics"):                           "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/console/conversations"):                    "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/console/conversations/{conversation_id}"):  "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    ("GET", "/v1/console/dashboard"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/console/badges"):                           "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/console/forecasts"):                        "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/console/stock-summary"):                    "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/v1/console/forecasts/{variant_id}"):           "401 403 2xx 2xx 2xx 2xx 2xx 2xx 2xx 404",
    # pages: the widget script, the console shell, static files; the demo storefront serves
    # only stores made by the demo generator (store A is not one)
    ("GET", "/widget.js"):                                   "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/demo"):                                        "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/demo/products/{handle}"):                      "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/demo/cart"):                                   "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/demo/cart/{items}"):                           "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/static/demo/{icon}/{colour}.svg"):             "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("POST", "/demo/api/session"):                           "404 404 404 404 404 404 404 404 404 404",
    ("POST", "/demo/api/identity"):                          "404 404 404 404 404 404 404 404 404 404",
    ("GET", "/demo/api/products/{handle}"):                  "404 404 404 404 404 404 404 404 404 404",
    ("GET", "/demo/api/cart"):                               "404 404 404 404 404 404 404 404 404 404",
    ("GET", "/static"):                                      "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
    ("GET", "/"):                                            "3xx 3xx 3xx 3xx 3xx 3xx 3xx 3xx 3xx 3xx",
    ("GET", "/console"):                                     "2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx 2xx",
}
# fmt: on

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
#: Routes where a refused-looking caller may change store A: signing in with store A's
#: password opens a session whatever key the request also carries.
FINGERPRINT_EXEMPT = frozenset({("POST", "/v1/staff/sign-in")})


def app_routes(world: World) -> set[tuple[str, str]]:
    """Every (method, path) the running app serves (HEAD and OPTIONS left to GET)."""
    routes = set()
    for context in iter_route_contexts(world.live.app.routes):
        path = context.path
        assert path is not None
        for method in context.methods or {"GET"}:
            if method not in {"HEAD", "OPTIONS"}:
                routes.add((method, path))
    return routes


def expected(route: tuple[str, str]) -> dict[str, str]:
    """The row of a route, by caller."""
    cells = MATRIX[route].split()
    assert len(cells) == len(CREDENTIALS), route
    return dict(zip(CREDENTIALS, cells, strict=True))


def matches(cell: str, status: int) -> bool:
    """Whether a status is what a cell of the table says."""
    if cell.endswith("xx"):
        return status // 100 == int(cell[0])
    return status == int(cell)


async def call(world: World, route: tuple[str, str], caller: Caller) -> Call:
    """The request to make for a route and a caller."""
    maker = CALLS.get(route) or _static(route[1])
    return await maker(world, caller)


async def send(world: World, method: str, prepared: Call, caller: Caller) -> tuple[int, str]:
    """Make a request as a caller; the status and (unless it is an event stream) the body."""
    headers = {**caller.headers, **prepared.headers}
    if caller.csrf is not None and method not in SAFE:
        headers["X-CSRF-Token"] = caller.csrf
    cookies = caller.cookies if prepared.cookies is None else prepared.cookies
    async with (
        httpx.AsyncClient(base_url=world.live.url, timeout=60, cookies=cookies) as client,
        client.stream(
            method, prepared.path, params=prepared.params, json=prepared.json, headers=headers
        ) as response,
    ):
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            return response.status_code, ""
        return response.status_code, (await response.aread()).decode("utf-8", "replace")


def _contains(body: str, marker: str) -> bool:
    """Whether a marker occurs as a whole token ("store-1" is not in "store-12")."""
    return re.search(rf"(?<![\w-]){re.escape(marker)}(?![\w-])", body) is not None


def _error_code(body: str) -> Any:
    try:
        return json.loads(body).get("error")
    except (ValueError, AttributeError):
        return None


class TestRouteMatrix:
    async def test_every_route_gives_every_caller_exactly_what_the_table_says(
        self, world: World
    ) -> None:
        # Given every route of the app and the table
        served = app_routes(world)
        assert sorted(served - set(MATRIX)) == [], "routes without a row in the matrix"
        assert sorted(set(MATRIX) - served) == [], "rows for routes the app no longer has"
        problems: list[str] = []

        for route in sorted(served, key=lambda r: (r[1], r[0])):
            method, path = route
            row = expected(route)
            # Refused callers (and another store, always) go first, on a fingerprint of the
            # store: whatever they are refused, nothing of store A may change.
            refused = [c for c in CREDENTIALS if not row[c].startswith("2") or c == "other"]
            allowed = [c for c in CREDENTIALS if c not in refused]
            calls = {c: await call(world, route, world.callers[c]) for c in refused}
            before = (
                None if method in SAFE or route in FINGERPRINT_EXEMPT else await world.fingerprint()
            )
            for name in [*refused, *allowed]:
                caller = world.callers[name]
                prepared = calls.get(name) or await call(world, route, caller)
                # When
                status, body = await send(world, method, prepared, caller)
                # Then
                if not matches(row[name], status):
                    problems.append(
                        f"{method} {path} as {name}: {status} (want {row[name]}) {body[:160]}"
                    )
                if status >= 400 and path.startswith("/v1/") and not _error_code(body):
                    problems.append(
                        f"{method} {path} as {name}: error without a code: {body[:120]}"
                    )
                if name == "other":
                    sent = f"{prepared.path} {prepared.params} {prepared.json}"
                    leaked = sorted(
                        m for m in world.markers if _contains(body, m) and m not in sent
                    )
                    if leaked:
                        problems.append(f"{method} {path} as other: store A's data {leaked}")
                if name == refused[-1] and before is not None:
                    after = await world.fingerprint()
                    changed = sorted(t for t in before if before[t] != after.get(t))
                    if changed:
                        problems.append(f"{method} {path}: refused callers changed {changed}")

        assert problems == [], "\n".join(problems)
