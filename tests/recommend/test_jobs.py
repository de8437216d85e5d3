"""`recommend.train`: versioned, idempotent, one at a time; and the interaction import."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from floorwalker.cli.main import app
from floorwalker.config import Settings
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.recommend import service as recommend_service
from floorwalker.recommend.models import ImportedInteraction
from floorwalker.recommend.serving import ModelRegistry
from floorwalker.stores.models import Store
from tests.recommend.conftest import Lists, train
from tests.recommend.shop import Shop, add_order


class TestTrainJob:
    async def test_training_publishes_a_version_that_is_served_at_once(
        self, db: Database, settings: Settings, shop: Shop, models: ModelRegistry
    ) -> None:
        # when
        outcome = await train(db, settings, shop)

        # then
        assert outcome.status == "trained"
        assert outcome.items == 8  # the draft sample is not sold
        assert outcome.interactions == 22  # order lines of the history
        assert outcome.customers == 14  # who ordered
        served = models.loaded(shop.store.id)
        assert served is not None
        assert served.version == outcome.version
        assert models.files.current_version(shop.store.id) == outcome.version

    async def test_training_again_with_nothing_new_changes_nothing(
        self, db: Database, settings: Settings, shop: Shop, models: ModelRegistry
    ) -> None:
        first = await train(db, settings, shop)

        again = await train(db, settings, shop)

        assert again.status == "unchanged"
        assert again.version == first.version
        assert [v.version for v in models.files.versions(shop.store.id)] == [first.version]

    async def test_a_new_order_makes_the_next_training_publish_a_new_version(
        self, db: Database, settings: Settings, shop: Shop, models: ModelRegistry
    ) -> None:
        first = await train(db, settings, shop)
        async with db.transaction() as s:
            await add_order(s, shop, "cleo", ["dress"], 0.5)

        second = await train(db, settings, shop)

        assert second.status == "trained"
        assert second.version != first.version
        assert models.loaded(shop.store.id).version == second.version  # type: ignore[union-attr]
        assert [v.current for v in models.files.versions(shop.store.id)] == [True, False]

    async def test_a_second_training_of_the_same_store_waits_its_turn(
        self, db: Database, settings: Settings, shop: Shop, models: ModelRegistry
    ) -> None:
        with models.files.training_lock(shop.store.id):
            outcome = await train(db, settings, shop)

        assert outcome.status == "busy"
        assert models.files.current_version(shop.store.id) is None

    async def test_a_store_without_active_products_has_nothing_to_train(
        self, db: Database, settings: Settings, other_store: Store
    ) -> None:
        from floorwalker.recommend import jobs

        outcome = await jobs.train(db, settings, store_id=other_store.id)

        assert outcome.status == "no_catalog"

    async def test_old_versions_are_pruned_to_the_configured_number(
        self, db: Database, settings: Settings, shop: Shop, models: ModelRegistry
    ) -> None:
        for _ in range(settings.recommend_keep_versions + 2):
            await train(db, settings, shop, force=True)

        versions = models.files.versions(shop.store.id)
        assert len(versions) == settings.recommend_keep_versions
        assert versions[0].current is True


HISTORY = """customer,sku,when,event,qty,order
{ada},{shirt_sku},2024-03-01T10:00:00Z,purchase,1,A-1
{ada},{chinos_sku},2024-03-01T10:00:00Z,purchase,1,A-1
legacy-77,{shirt_sku},2024-03-02T10:00:00Z,purchase,2,A-2
legacy-77,NOT-A-SKU,2024-03-02T10:00:00Z,purchase,1,A-2
legacy-77,{mug_sku},2024-03-03T10:00:00Z,view,,
legacy-78,{mug_sku},2024-03-03T10:00:00Z,purchase,-1,R-9
"""


async def skus(db: Database, shop: Shop) -> dict[str, str]:
    from floorwalker.catalog.models import Variant

    async with db.reading() as s:
        rows = await s.execute(
            select(Variant.id, Variant.sku).where(Variant.id.in_(shop.variants.values()))
        )
        by_id = dict(rows.all())
    return {name: str(by_id[vid]) for name, vid in shop.variants.items()}


class TestInteractionImport:
    async def test_a_history_file_is_matched_to_products_and_customers_once(
        self, db: Database, shop: Shop, tmp_path: Path
    ) -> None:
        # given another platform's export naming products by SKU and ada by e-mail
        sku = await skus(db, shop)
        async with db.reading() as s:
            from floorwalker.customers.models import Customer

            ada_email = await s.scalar(
                select(Customer.email).where(Customer.id == shop.customers["ada"])
            )
        source = tmp_path / "history.csv"
        source.write_text(
            HISTORY.format(
                ada=ada_email, shirt_sku=sku["shirt"], chinos_sku=sku["chinos"], mug_sku=sku["mug"]
            )
        )
        columns = {"customer_id": "customer", "item_id": "sku", "timestamp": "when",
                   "event_type": "event", "quantity": "qty", "order_id": "order"}  # fmt: skip
        actor = Actor.system(shop.store.id)

        # when imported twice
        async with db.transaction() as s:
            first = await recommend_service.import_interactions(
                s, actor, path=source, columns=columns
            )
        async with db.transaction() as s:
            second = await recommend_service.import_interactions(
                s, actor, path=source, columns=columns
            )

        # then
        assert first.model_dump() == {
            "rows": 6,
            "imported": 4,
            "already_imported": 0,
            "unknown_products": 1,
            "unmatched_customers": 1,
            "dropped": {"missing_customer": 0, "missing_item": 0, "non_positive_quantity": 1,
                        "unknown_event_type": 0},
        }  # fmt: skip
        assert (second.imported, second.already_imported) == (0, 4)
        async with db.reading() as s:
            rows = (
                await s.execute(
                    select(ImportedInteraction.customer_id, ImportedInteraction.kind)
                    .where(ImportedInteraction.store_id == shop.store.id)
                    .order_by(ImportedInteraction.id)
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            (shop.customers["ada"], "purchase"),
            (shop.customers["ada"], "purchase"),
            (None, "purchase"),
            (None, "view"),
        ]

    async def test_erasing_a_customer_removes_their_imported_history(
        self, db: Database, shop: Shop, tmp_path: Path
    ) -> None:
        sku = await skus(db, shop)
        source = tmp_path / "h.csv"
        source.write_text(
            "customer_id,item_id,timestamp\n"
            f"{shop.customers['dan']},{sku['mug']},2024-01-01T00:00:00Z\n"
            f"someone,{sku['mug']},2024-01-01T00:00:00Z\n"
        )
        actor = Actor.system(shop.store.id)
        async with db.transaction() as s:
            await recommend_service.import_interactions(s, actor, path=source)

        async with db.transaction() as s:
            erased = await recommend_service.erase_customer(
                s, actor, customer_id=shop.customers["dan"]
            )
            left = await s.scalar(
                select(func.count(ImportedInteraction.id)).where(
                    ImportedInteraction.store_id == shop.store.id
                )
            )

        assert (erased, left) == (1, 1)


class TestTrainCommand:
    async def test_imports_a_file_trains_and_the_import_shapes_the_list(
        self,
        db: Database,
        settings: Settings,
        shop: Shop,
        lists: Lists,
        tmp_path: Path,
    ) -> None:
        # given cleo (consenting, no orders) bought the oxford shirt on another platform
        sku = await skus(db, shop)
        source = tmp_path / "legacy.csv"
        source.write_text(
            "customer_id,item_id,timestamp\n"
            f"{shop.customers['cleo']},{sku['oxford']},2026-01-01T00:00:00Z\n"
        )
        env = {
            "FLOORWALKER_DATABASE_URL": settings.resolved_database_url,
            "FLOORWALKER_DATA_DIR": str(settings.data_dir),
        }

        # when
        result = await asyncio.to_thread(
            CliRunner().invoke,
            app,
            ["train", "recommend", "--store", shop.store.slug, "--interactions", str(source)],
            env=env,
        )

        # then
        assert result.exit_code == 0, result.output
        assert "Imported 1 interactions" in result.output
        assert "trained version" in result.output
        again = await asyncio.to_thread(
            CliRunner().invoke, app, ["train", "recommend", "--store", shop.store.slug], env=env
        )
        assert "nothing changed" in again.output
        first = (await lists.get(surface="for_you", customer="cleo")).items[0]
        assert first.reason.text == "Matches your stated preference for Tailor"
        reasons = [i.reason.text for i in (await lists.get(surface="for_you",
                                                             customer="cleo")).items]  # fmt: skip
        assert "Because you bought Oxford Shirt" in reasons

    async def test_needs_a_store_or_all(self) -> None:
        result = await asyncio.to_thread(CliRunner().invoke, app, ["train", "recommend"])

        assert result.exit_code == 2
        assert "give either --store SLUG or --all" in result.output


class TestTrainAll:
    async def test_every_store_is_trained_and_then_left_alone(
        self, db: Database, settings: Settings, shop: Shop, models: ModelRegistry
    ) -> None:
        from floorwalker.recommend import jobs

        # when the scheduled job runs twice with nothing new in between
        first = {o.store_id: o for o in await jobs.train_all(db, settings)}
        version = models.files.current_version(shop.store.id)
        second = {o.store_id: o for o in await jobs.train_all(db, settings)}

        # then the shop was trained once: the second run changed nothing
        assert first[shop.store.id].status == "trained"
        assert first[shop.store.id].version == version
        assert second[shop.store.id].status == "unchanged"
        assert second[shop.store.id].version == version
        assert [v.version for v in models.files.versions(shop.store.id)] == [version]


class TestVersionCommands:
    async def test_versions_lists_them_and_activate_rolls_back(
        self, db: Database, settings: Settings, shop: Shop, models: ModelRegistry
    ) -> None:
        first = await train(db, settings, shop)
        second = await train(db, settings, shop, force=True)
        env = {
            "FLOORWALKER_DATABASE_URL": settings.resolved_database_url,
            "FLOORWALKER_DATA_DIR": str(settings.data_dir),
            "COLUMNS": "200",
        }

        listed = await asyncio.to_thread(
            CliRunner().invoke, app, ["recommend", "versions", "--store", shop.store.slug], env=env
        )
        rolled = await asyncio.to_thread(
            CliRunner().invoke,
            app,
            ["recommend", "activate", str(first.version), "--store", shop.store.slug],
            env=env,
        )
        missing = await asyncio.to_thread(
            CliRunner().invoke,
            app,
            ["recommend", "activate", "no-such-version", "--store", shop.store.slug],
            env=env,
        )

        assert listed.exit_code == 0, listed.output
        assert listed.output.index(str(second.version)) < listed.output.index(str(first.version))
        assert rolled.exit_code == 0, rolled.output
        assert models.files.current_version(shop.store.id) == first.version
        assert models.loaded(shop.store.id).version == first.version  # type: ignore[union-attr]
        assert missing.exit_code == 1
        assert "No recommender version 'no-such-version'" in missing.output
        assert models.files.current_version(shop.store.id) == first.version

    async def test_show_prints_a_list_with_reasons(
        self, db: Database, settings: Settings, trained: Shop
    ) -> None:
        env = {
            "FLOORWALKER_DATABASE_URL": settings.resolved_database_url,
            "FLOORWALKER_DATA_DIR": str(settings.data_dir),
            "COLUMNS": "200",
        }

        shown = await asyncio.to_thread(
            CliRunner().invoke,
            app,
            ["recommend", "show", "--store", trained.store.slug, "--surface", "bought_together",
             "--product", str(trained.products["shirt"]), "--limit", "2"],
            env=env,
        )  # fmt: skip

        assert shown.exit_code == 0, shown.output
        assert "Chino Trousers" in shown.output
        assert "Often bought with Linen Shirt" in shown.output
        assert "personalised: no" in shown.output
