"""The demo plan's shape, its arguments, and the placeholder pictures it links to."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest

from floorwalker.customers.models import PaymentMethod
from floorwalker.demo.build import anchor_for, build_plan
from floorwalker.demo.customers import payment_label
from floorwalker.demo.images import image_url, render_svg, svg_for_path
from floorwalker.demo.plan import TABLE_ORDER, Plan, Ref
from floorwalker.demo.vocab.catalog import PRODUCT_TYPES
from floorwalker.demo.vocab.options import COLOURS

ANCHOR = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def small() -> Plan:
    return build_plan(seed=3, scale=0.05, now=ANCHOR)


class TestPlanShape:
    def test_every_row_of_a_table_has_the_same_columns(self, small: Plan) -> None:
        for name in TABLE_ORDER:
            rows = small.rows[name]
            assert rows, name
            assert {tuple(row) for row in rows} == {tuple(rows[0])}, name

    def test_references_point_at_earlier_tables_and_existing_rows(self, small: Plan) -> None:
        position = {name: n for n, name in enumerate(TABLE_ORDER)}

        def check(value: object, table: str) -> None:
            if isinstance(value, Ref):
                assert position[value.table] <= position[table]
                assert 0 <= value.index < len(small.rows[value.table])
            elif isinstance(value, list):
                for item in value:
                    check(item, table)
            elif isinstance(value, dict):
                for item in value.values():
                    check(item, table)

        for name in TABLE_ORDER:
            for row in small.rows[name]:
                check(row, name)

    def test_every_history_timestamp_is_timezone_aware_and_before_the_anchor(
        self, small: Plan
    ) -> None:
        for name in TABLE_ORDER:
            for row in small.rows[name]:
                for key, value in row.items():
                    if isinstance(value, dt.datetime):
                        assert value.tzinfo is not None, (name, key)
                        if key != "estimated_delivery_at":
                            assert value <= ANCHOR, (name, key, value)

    def test_labels_are_spelled_as_payment_methods_spell_them(self) -> None:
        for kind, brand, last4 in [
            ("card", "visa", "4242"),
            ("card", "amex", "1005"),
            ("paypal", None, None),
            ("gift_card", None, "3141"),
            ("store_credit", None, None),
        ]:
            method = PaymentMethod(kind=kind, brand=brand, last4=last4)
            assert payment_label(kind, brand, last4) == method.label


class TestArguments:
    def test_a_naive_anchor_is_refused(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            build_plan(seed=1, scale=0.05, now=dt.datetime(2026, 1, 1))  # noqa: DTZ001

    @pytest.mark.parametrize("scale", [0, -1, 3.5])
    def test_a_scale_out_of_range_is_refused(self, scale: float) -> None:
        with pytest.raises(ValueError, match="scale"):
            build_plan(seed=1, scale=scale, now=ANCHOR)

    def test_the_anchor_is_the_start_of_the_utc_day(self) -> None:
        moment = dt.datetime(2026, 5, 4, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))

        assert anchor_for(moment) == dt.datetime(2026, 5, 5, tzinfo=dt.UTC)


class TestPictures:
    def test_every_product_type_and_colour_renders_as_svg(self) -> None:
        for ptype in PRODUCT_TYPES:
            for colour in ("moss", "white"):
                svg = svg_for_path(image_url(ptype.icon, colour))
                assert svg is not None, ptype.icon
                root = ElementTree.fromstring(svg)
                assert root.tag == "{http://www.w3.org/2000/svg}svg"
                assert root.get("aria-label") == f"{ptype.icon} in {COLOURS[colour][0]}"

    def test_urls_point_at_floorwalker_itself(self) -> None:
        assert image_url("boot", "rust") == "/static/demo/boot/rust.svg"
        assert image_url("tent", None) == "/static/demo/tent/stone.svg"

    @pytest.mark.parametrize(
        "path",
        ["/static/demo/boot/plaid.svg", "/static/demo/rocket/moss.svg", "/static/demo/../x.svg",
         "/static/demo/boot/moss.png", "/etc/passwd"],
    )  # fmt: skip
    def test_unknown_pictures_are_none(self, path: str) -> None:
        assert svg_for_path(path) is None

    def test_colour_shows_in_the_fill(self) -> None:
        svg = render_svg("mug", "rust")

        assert svg is not None
        assert 'fill="#b5532d"' in svg
