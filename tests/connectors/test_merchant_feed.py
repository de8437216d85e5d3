"""Google Merchant Center feeds: XML and TSV, grouping, prices and availability."""

from __future__ import annotations

from pathlib import Path

import pytest

from floorwalker.connectors.files.importer import RowError
from floorwalker.connectors.merchant_feed.importer import import_feed
from floorwalker.connectors.merchant_feed.parse import UnreadableFeed
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests.connectors.helpers import catalog_snapshot, stock_snapshot

# Written after the product data specification's RSS 2.0 example.
XML = """<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">
  <channel>
    <title>Example store</title>
    <link>https://www.example.com</link>
    <description>Products</description>
    <item>
      <g:id>TSHIRT-BLU-M</g:id>
      <g:title>Organic Tee - Blue - M</g:title>
      <g:description>A soft organic cotton tee.</g:description>
      <g:link>https://www.example.com/tee</g:link>
      <g:image_link>https://www.example.com/tee-blue.jpg</g:image_link>
      <g:availability>in_stock</g:availability>
      <g:price>25.00 USD</g:price>
      <g:sale_price>19.99 USD</g:sale_price>
      <g:brand>Example</g:brand>
      <g:gtin>00012345600012</g:gtin>
      <g:item_group_id>TSHIRT</g:item_group_id>
      <g:color>Blue</g:color>
      <g:size>M</g:size>
      <g:product_type>Apparel &gt; Tops</g:product_type>
      <g:condition>new</g:condition>
    </item>
    <item>
      <g:id>TSHIRT-BLU-L</g:id>
      <g:title>Organic Tee - Blue - L</g:title>
      <g:description>A soft organic cotton tee.</g:description>
      <g:availability>out_of_stock</g:availability>
      <g:price>25.00 USD</g:price>
      <g:item_group_id>TSHIRT</g:item_group_id>
      <g:color>Blue</g:color>
      <g:size>L</g:size>
    </item>
    <item>
      <g:id>MUG-1</g:id>
      <title>Enamel Mug</title>
      <g:availability>preorder</g:availability>
      <g:price>12.50 USD</g:price>
      <g:brand>Example</g:brand>
    </item>
  </channel>
</rss>
"""

TSV = (
    "id\ttitle\tdescription\tavailability\tprice\tsale_price\tbrand\titem_group_id\tcolor\n"
    "SOCK-R\tWool Socks Red\tWarm.\tin stock\t9.00 USD\t\tKnitco\tSOCK\tRed\n"
    "SOCK-G\tWool Socks Green\tWarm.\tout_of_stock\t9.00 USD\t\tKnitco\tSOCK\tGreen\n"
    "HAT-1\tBeanie\tWarm.\tin stock\tten dollars\t\tKnitco\t\t\n"
)


async def run(db: Database, store: Store, path: Path, **kw: object):  # type: ignore[no-untyped-def]
    return await import_feed(db, Actor.system(store.id), path=path, **kw)  # type: ignore[arg-type]


class TestXmlFeed:
    async def test_items_become_variants_of_their_group_with_sale_prices_and_stock(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        path = tmp_path / "feed.xml"
        path.write_text(XML)

        report = await run(db, store, path, in_stock=50)

        assert (report.records, report.created, report.failed) == (2, 2, 0)
        assert await catalog_snapshot(db, store) == [
            ("MUG-1", "Enamel Mug", "active", "MUG-1", "MUG-1", 1250, None),
            ("TSHIRT", "Organic Tee - Blue", "active", "TSHIRT-BLU-M", "TSHIRT-BLU-M", 1999, 2500),
            ("TSHIRT", "Organic Tee - Blue", "active", "TSHIRT-BLU-L", "TSHIRT-BLU-L", 2500, None),
        ]
        assert await stock_snapshot(db, store) == [
            ("MUG-1", 50, 0),
            ("TSHIRT-BLU-L", 0, 0),
            ("TSHIRT-BLU-M", 50, 0),
        ]

    async def test_importing_the_feed_again_changes_nothing(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        path = tmp_path / "feed.xml"
        path.write_text(XML)
        await run(db, store, path)

        again = await run(db, store, path)

        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    async def test_a_broken_feed_is_a_clear_error(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        path = tmp_path / "feed.xml"
        path.write_text("<rss><channel><item><g:id>1</g:id>")

        with pytest.raises(UnreadableFeed) as raised:
            await run(db, store, path)

        assert raised.value.code == "unreadable_feed"
        assert await catalog_snapshot(db, store) == []


class TestTsvFeed:
    async def test_a_bad_price_fails_its_item_and_the_others_load(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        path = tmp_path / "feed.tsv"
        path.write_text(TSV)

        report = await run(db, store, path)

        assert (report.created, report.failed) == (1, 1)
        assert report.errors == [RowError(4, "price", "not a price, e.g. 19.99 USD")]
        assert await catalog_snapshot(db, store) == [
            ("SOCK", "Wool Socks", "active", "SOCK-R", "SOCK-R", 900, None),
            ("SOCK", "Wool Socks", "active", "SOCK-G", "SOCK-G", 900, None),
        ]
        assert await stock_snapshot(db, store) == [("SOCK-G", 0, 0), ("SOCK-R", 100, 0)]
