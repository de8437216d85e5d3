"""The named demo customers: who they are, where they live, what their orders set up.

Their orders are scripted in `stories`; docs/demo.md lists them with what to try.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Person:
    """Who a named customer is and where they live."""

    key: str
    first: str
    last: str
    email: str
    phone: str
    line1: str
    city: str
    state: str
    postal_code: str
    region: str
    audience: str
    sizes: tuple[tuple[str, str], ...]
    story: str


PEOPLE: tuple[Person, ...] = (
    Person(
        "maya",
        "Maya",
        "Chen",
        "maya.chen@example.com",
        "+1 503-555-0142",
        "2314 SE Hawthorne Blvd",
        "Portland",
        "OR",
        "97214",
        "west",
        "Women's",
        (("apparel", "M"), ("shoe", "8")),
        "A pending order placed three hours ago (rain jacket and socks) to cancel, re-address or "
        "re-size; plus a delivered and a cancelled order in her history.",
    ),
    Person(
        "daniel",
        "Daniel",
        "Okafor",
        "daniel.okafor@example.org",
        "+1 303-555-0118",
        "1650 Pearl St",
        "Denver",
        "CO",
        "80203",
        "west",
        "Men's",
        (("apparel", "L"), ("shoe", "10")),
        "Hiking boots delivered six days ago to return (to his Mastercard or his gift card) or "
        "exchange for another size.",
    ),
    Person(
        "priya",
        "Priya",
        "Raman",
        "priya.raman@example.net",
        "+1 206-555-0177",
        "4127 Fremont Ave N",
        "Seattle",
        "WA",
        "98103",
        "west",
        "Women's",
        (("apparel", "S"), ("shoe", "7")),
        "A pending order paid entirely with her gift card (cancelling it credits the card at "
        "once); earlier orders paid by gift card and an exchange that went through.",
    ),
    Person(
        "lucas",
        "Lucas",
        "Martin",
        "lucas.martin@example.com",
        "+1 312-555-0163",
        "2750 N Lincoln Ave",
        "Chicago",
        "IL",
        "60614",
        "east",
        "Men's",
        (("apparel", "M"), ("shoe", "9.5")),
        "A pending down jacket paid with two payments: his whole $50 gift card and his Visa "
        "for the rest. Cancelling refunds both; changing the payment method is refused.",
    ),
    Person(
        "sofia",
        "Sofia",
        "Rossi",
        "sofia.rossi@example.org",
        "+1 718-555-0129",
        "318 Atlantic Ave",
        "Brooklyn",
        "NY",
        "11201",
        "east",
        "Women's",
        (("apparel", "S"), ("shoe", "8")),
        "A pending boot order whose size was already changed once: it can no longer be "
        "changed or cancelled. A completed return in her history.",
    ),
    Person(
        "james",
        "James",
        "Whitaker",
        "james.whitaker@example.com",
        "+1 617-555-0191",
        "77 Beacon St",
        "Boston",
        "MA",
        "02108",
        "east",
        "Men's",
        (("apparel", "XL"), ("shoe", "11")),
        "A rain jacket delivered forty days ago — past the 30-day return window — and a parcel "
        "in transit to track.",
    ),
    Person(
        "elena",
        "Elena",
        "Petrova",
        "elena.petrova@example.net",
        "+1 828-555-0155",
        "52 Haywood St",
        "Asheville",
        "NC",
        "28801",
        "east",
        "Women's",
        (("apparel", "M"), ("shoe", "8")),
        "A return in progress (sheets) and an exchange waiting for her old shoes to come back.",
    ),
    Person(
        "amara",
        "Amara",
        "Nwosu",
        "amara.nwosu@example.com",
        "+1 512-555-0108",
        "1401 S Congress Ave",
        "Austin",
        "TX",
        "78704",
        "east",
        "Women's",
        (("apparel", "L"), ("shoe", "9")),
        "A camping order being packed (processing) and a tent, bag and pad shipped in two "
        "parcels, each with its own tracking number.",
    ),
)
