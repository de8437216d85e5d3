"""RS256 shopper identity tokens: the store's public keys inline, in a file or at a URL."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from click.testing import Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select
from typer.testing import CliRunner

from floorwalker.assistant.errors import InvalidIdentityToken
from floorwalker.assistant.identity.keys import JwksCache
from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.audit.models import AuditEntry
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.cli.main import app
from floorwalker.config import Settings
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database
from floorwalker.stores import service as store_service
from floorwalker.stores.schemas import IdentityKeys, StoreUpdate

ISSUER = "https://id.shop.example"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


#: Generated once per module: RSA key generation is the slow part.
KEY_1 = new_key()
KEY_2 = new_key()
STRANGER = new_key()


def jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    public: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**public, "kid": kid, "use": "sig", "alg": "RS256"}


def jwks(*pairs: tuple[rsa.RSAPrivateKey, str]) -> dict[str, Any]:
    return {"keys": [jwk(key, kid) for key, kid in pairs]}


def rs256(
    shop: FixtureStore,
    key: rsa.RSAPrivateKey = KEY_1,
    *,
    kid: str | None = "k1",
    **claims: Any,
) -> str:
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": "cust-ada",
        "aud": shop.slug,
        "iss": ISSUER,
        "iat": now,
        "exp": now + 600,
    }
    payload.update(claims)
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(payload, key, algorithm="RS256", headers=headers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged(header: dict[str, Any], payload: dict[str, Any], secret: bytes | None) -> str:
    """A token built by hand: `alg: none` or an HMAC "signed" with a public key."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = (
        b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()) if secret else ""
    )
    return f"{signing_input}.{signature}"


class JwksServer:
    """A key server on loopback whose key set the test changes (counts its requests)."""

    def __init__(self) -> None:
        self.body: dict[str, Any] = {}
        self.hits = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                data = json.dumps(outer.body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> JwksServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def key_server() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server


@pytest.fixture
async def shop_admin(
    db: Database, shop: FixtureStore, widget: httpx.AsyncClient
) -> httpx.AsyncClient:
    async with db.transaction() as session:
        _key, token = await auth_service.create_key(
            session,
            Actor.system(shop.store_id),
            data=ApiKeyCreate(name="admin", kind=KeyKind.SECRET, scopes=[Scope.ADMIN]),
        )
    return httpx.AsyncClient(
        base_url=str(widget.base_url), headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


async def set_keys(admin: httpx.AsyncClient, keys: dict[str, Any] | None) -> httpx.Response:
    """Set the store's identity keys through the API, keeping its other settings."""
    current = (await admin.get("/v1/store")).json()["settings"]
    return await admin.patch("/v1/store", json={"settings": {**current, "identity_keys": keys}})


async def start(widget: httpx.AsyncClient, token: str) -> httpx.Response:
    return await widget.post("/v1/conversations", json={"identity_token": token})


def refused(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body.get("reason", "")


class TestInlineKeys:
    @pytest.fixture(autouse=True)
    async def _keys(self, shop_admin: httpx.AsyncClient) -> None:
        response = await set_keys(
            shop_admin, {"jwks": jwks((KEY_1, "k1"), (KEY_2, "k2")), "issuer": ISSUER}
        )
        assert response.status_code == 200, response.text

    async def test_a_valid_token_binds_the_customer_it_names(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        response = await start(widget, rs256(shop, KEY_2, kid="k2", sub="cust-bob"))

        assert response.status_code == 201
        assert response.json()["conversation"]["verified"] is True
        assert response.json()["conversation"]["verified_via"] == "token"

    async def test_the_hs256_secret_keeps_working_beside_the_keys(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        now = int(time.time())
        token = jwt.encode(
            {"sub": "cust-ada", "aud": shop.slug, "exp": now + 600},
            shop.identity_secret,
            algorithm="HS256",
        )

        response = await start(widget, token)

        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("case", "reason"),
        [
            ("expired", "expired"),
            ("wrong_audience", "wrong audience"),
            ("wrong_issuer", "wrong issuer"),
            ("no_issuer", "missing claim iss"),
            ("wrong_key", "bad signature or format"),
            ("unknown_kid", "unknown key"),
            ("no_kid_with_two_keys", "unknown key"),
            ("alg_none", "algorithm not allowed"),
            ("rs512", "algorithm not allowed"),
            ("hs256_with_the_public_key", "bad signature or format"),
            ("unknown_customer", "unknown customer"),
        ],
    )
    async def test_a_token_that_does_not_verify_starts_nothing(
        self, widget: httpx.AsyncClient, shop: FixtureStore, case: str, reason: str
    ) -> None:
        now = int(time.time())
        claims = {"sub": "cust-ada", "aud": shop.slug, "iss": ISSUER, "exp": now + 600}
        public_pem = KEY_1.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        token = {
            "expired": lambda: rs256(shop, exp=now - 120, iat=now - 900),
            "wrong_audience": lambda: rs256(shop, aud="another-store"),
            "wrong_issuer": lambda: rs256(shop, iss="https://evil.example"),
            "no_issuer": lambda: jwt.encode(
                {k: v for k, v in claims.items() if k != "iss"},
                KEY_1,
                algorithm="RS256",
                headers={"kid": "k1"},
            ),
            "wrong_key": lambda: rs256(shop, STRANGER, kid="k1"),
            "unknown_kid": lambda: rs256(shop, STRANGER, kid="k9"),
            "no_kid_with_two_keys": lambda: rs256(shop, kid=None),
            "alg_none": lambda: forged({"alg": "none", "kid": "k1"}, claims, None),
            "rs512": lambda: jwt.encode(claims, KEY_1, algorithm="RS512", headers={"kid": "k1"}),
            "hs256_with_the_public_key": lambda: forged(
                {"alg": "HS256", "kid": "k1"}, claims, public_pem
            ),
            "unknown_customer": lambda: rs256(shop, sub="cust-nobody"),
        }[case]()

        response = await start(widget, token)

        assert refused(response) == (401, "invalid_identity_token", reason)

    async def test_clock_skew_within_the_leeway_is_tolerated(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        now = int(time.time())

        response = await start(widget, rs256(shop, exp=now - 30, iat=now - 630))

        assert response.status_code == 201


class TestWithoutKeys:
    async def test_an_rs256_token_is_refused_when_the_store_has_only_a_secret(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        response = await start(widget, rs256(shop))

        assert refused(response) == (401, "invalid_identity_token", "algorithm not allowed")

    async def test_an_hs256_token_with_the_public_key_is_refused_when_the_store_has_only_keys(
        self, widget: httpx.AsyncClient, shop: FixtureStore, db: Database
    ) -> None:
        async with db.transaction() as session:
            store = await store_service.get_or_raise(session, shop.store_id)
            store.identity_secret_encrypted = None
            current = store_service.settings_of(store)
            await store_service.update(
                session,
                Actor.system(shop.store_id),
                data=StoreUpdate(
                    settings=current.model_copy(
                        update={"identity_keys": IdentityKeys(jwks=jwks((KEY_1, "k1")))}
                    )
                ),
            )
        public_pem = KEY_1.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        claims = {"sub": "cust-ada", "aud": shop.slug, "exp": int(time.time()) + 600}

        response = await start(widget, forged({"alg": "HS256"}, claims, public_pem))
        accepted = await start(widget, rs256(shop))

        assert refused(response) == (401, "invalid_identity_token", "algorithm not allowed")
        assert accepted.status_code == 201


class TestKeysFromAUrl:
    async def test_keys_are_fetched_cached_and_refetched_for_a_new_key_id(
        self,
        widget: httpx.AsyncClient,
        shop: FixtureStore,
        shop_admin: httpx.AsyncClient,
        key_server: JwksServer,
    ) -> None:
        key_server.body = jwks((KEY_1, "k1"))
        response = await set_keys(shop_admin, {"jwks_url": key_server.url})
        assert response.status_code == 200, response.text

        first = await start(widget, rs256(shop, sub="cust-ada"))
        second = await start(widget, rs256(shop, sub="cust-bob"))
        hits_before_rotation = key_server.hits
        key_server.body = jwks((KEY_2, "k2"))
        rotated = await start(widget, rs256(shop, KEY_2, kid="k2"))
        hits_after_rotation = key_server.hits
        stranger = await start(widget, rs256(shop, STRANGER, kid="k9"))

        assert [first.status_code, second.status_code, rotated.status_code] == [201, 201, 201]
        assert hits_before_rotation == 1
        assert hits_after_rotation == 2
        assert refused(stranger) == (401, "invalid_identity_token", "unknown key")
        # A burst of made-up key ids does not make us hammer the retailer's key server.
        assert key_server.hits == 2

    async def test_a_key_server_that_cannot_be_read_refuses_the_token(
        self,
        widget: httpx.AsyncClient,
        shop: FixtureStore,
        shop_admin: httpx.AsyncClient,
        key_server: JwksServer,
    ) -> None:
        key_server.body = {"not": "a key set"}
        await set_keys(shop_admin, {"jwks_url": key_server.url})

        response = await start(widget, rs256(shop))

        assert refused(response) == (401, "invalid_identity_token", "keys unavailable")

    @pytest.mark.parametrize(
        "url",
        ["http://keys.shop.example/jwks.json", "ftp://keys.shop.example/jwks", "file:///etc/x"],
    )
    async def test_only_https_or_loopback_urls_are_accepted(
        self, shop_admin: httpx.AsyncClient, url: str
    ) -> None:
        before = (await shop_admin.get("/v1/store")).json()["settings"]

        response = await set_keys(shop_admin, {"jwks_url": url})

        assert response.status_code == 422
        assert (await shop_admin.get("/v1/store")).json()["settings"] == before


class TestKeysFromAFile:
    async def test_the_operator_sets_a_file_and_rotating_it_is_picked_up(
        self, widget: httpx.AsyncClient, shop: FixtureStore, db: Database, tmp_path: Path
    ) -> None:
        path = tmp_path / "jwks.json"
        path.write_text(json.dumps(jwks((KEY_1, "k1"))))
        async with db.transaction() as session:
            store = await store_service.get_or_raise(session, shop.store_id)
            current = store_service.settings_of(store)
            await store_service.update(
                session,
                Actor.system(shop.store_id, "cli"),
                data=StoreUpdate(
                    settings=current.model_copy(
                        update={"identity_keys": IdentityKeys(jwks_file=str(path))}
                    )
                ),
            )

        first = await start(widget, rs256(shop))
        path.write_text(json.dumps(jwks((KEY_2, "k2"))))
        rotated = await start(widget, rs256(shop, KEY_2, kid="k2"))
        retired = await start(widget, rs256(shop, KEY_1, kid="k1"))

        assert first.status_code == 201
        assert rotated.status_code == 201
        assert refused(retired) == (401, "invalid_identity_token", "unknown key")

    async def test_an_api_key_cannot_point_the_server_at_a_file(
        self, shop_admin: httpx.AsyncClient, shop: FixtureStore, db: Database
    ) -> None:
        before = (await shop_admin.get("/v1/store")).json()["settings"]

        response = await set_keys(shop_admin, {"jwks_file": "/etc/passwd"})

        assert response.status_code == 403
        assert response.json()["error"] == "identity_keys_file_not_allowed"
        assert (await shop_admin.get("/v1/store")).json()["settings"] == before


class TestSettingKeys:
    async def test_a_private_key_is_refused_and_nothing_is_stored(
        self, shop_admin: httpx.AsyncClient
    ) -> None:
        private = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY_1))
        before = (await shop_admin.get("/v1/store")).json()["settings"]

        response = await set_keys(shop_admin, {"jwks": {"keys": [private]}})

        assert response.status_code == 422
        assert "private key material" in response.text
        assert (await shop_admin.get("/v1/store")).json()["settings"] == before

    async def test_changing_the_keys_is_audited(
        self, shop_admin: httpx.AsyncClient, shop: FixtureStore, db: Database
    ) -> None:
        await set_keys(shop_admin, {"jwks": jwks((KEY_1, "k1"))})

        async with db.reading() as session:
            actions = list(
                await session.scalars(
                    select(AuditEntry.action).where(AuditEntry.store_id == shop.store_id)
                )
            )

        assert actions.count("store.identity_keys.update") == 1


class TestCache:
    async def test_a_source_is_read_again_after_its_lifetime(self, tmp_path: Path) -> None:
        now = [1000.0]
        cache = JwksCache(ttl=60, refetch_interval=10, clock=lambda: now[0])
        path = tmp_path / "jwks.json"
        path.write_text(json.dumps(jwks((KEY_1, "k1"))))
        source = IdentityKeys(jwks_file=str(path))

        await cache.key_for(source, "k1")
        now[0] += 59
        await cache.key_for(source, "k1")
        reads_within = cache.loads[f"file:{path}"]
        now[0] += 2
        await cache.key_for(source, "k1")

        assert reads_within == 1
        assert cache.loads[f"file:{path}"] == 2

    async def test_the_last_good_set_is_kept_when_the_source_breaks(self, tmp_path: Path) -> None:
        now = [1000.0]
        cache = JwksCache(ttl=60, refetch_interval=10, clock=lambda: now[0])
        path = tmp_path / "jwks.json"
        path.write_text(json.dumps(jwks((KEY_1, "k1"))))
        source = IdentityKeys(jwks_file=str(path))
        good = await cache.key_for(source, "k1")

        path.write_text("not json")
        now[0] += 120
        kept = await cache.key_for(source, "k1")
        with pytest.raises(InvalidIdentityToken) as missing:
            await cache.key_for(source, "k2")

        assert kept.public_numbers() == good.public_numbers()
        assert missing.value.data == {"reason": "unknown key"}


class TestCommand:
    @pytest.fixture(autouse=True)
    def cli_env(
        self, monkeypatch: pytest.MonkeyPatch, database_url: str, settings: Settings
    ) -> None:
        monkeypatch.setenv("FLOORWALKER_DATABASE_URL", database_url)
        monkeypatch.setenv("FLOORWALKER_SECRET_KEY", settings.secret_key.get_secret_value())
        monkeypatch.setenv("FLOORWALKER_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("COLUMNS", "200")

    async def test_the_operator_points_the_store_at_a_key_file(
        self, widget: httpx.AsyncClient, shop: FixtureStore, db: Database, tmp_path: Path
    ) -> None:
        path = tmp_path / "jwks.json"
        path.write_text(json.dumps(jwks((KEY_1, "k1"))))

        result = await invoke(
            ["chat", "identity-keys", "--store", shop.slug, "--jwks-file", str(path),
             "--issuer", ISSUER]
        )  # fmt: skip
        accepted = await start(widget, rs256(shop))

        assert result.exit_code == 0, result.output
        # rich wraps long lines at the terminal's width (a store slug can be long)
        assert f"issuer {ISSUER!r}" in " ".join(result.output.split())
        async with db.reading() as session:
            store = await store_service.get_or_raise(session, shop.store_id)
            keys = store_service.settings_of(store).identity_keys
        assert keys == IdentityKeys(jwks_file=str(path), issuer=ISSUER)
        assert accepted.status_code == 201

    async def test_a_private_key_file_is_refused_and_nothing_is_stored(
        self, shop: FixtureStore, db: Database, tmp_path: Path
    ) -> None:
        path = tmp_path / "private.json"
        path.write_text(
            json.dumps({"keys": [json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY_1))]})
        )

        result = await invoke(
            ["chat", "identity-keys", "--store", shop.slug, "--jwks-json", str(path)]
        )

        assert result.exit_code == 1
        assert "private key material" in " ".join(result.output.split())
        async with db.reading() as session:
            store = await store_service.get_or_raise(session, shop.store_id)
        assert store_service.settings_of(store).identity_keys is None


async def invoke(args: list[str]) -> Result:
    """Run the CLI in a worker thread: it calls asyncio.run, which needs a loop-free thread."""
    return await asyncio.to_thread(CliRunner().invoke, app, args)
