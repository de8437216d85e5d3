"""Assistant latency: the local model's turns, the remote path's overhead, concurrent streams.

1. **Local model turns** on the demo store (built once, or reused): a mix of searches, product
   questions with references, cart, policy, and a verified customer's order status and
   cancellation proposal, run in-process through the same loop the API uses (tools, checks,
   both transactions). Baseline: the search service alone answering the same search texts.
2. **Remote overhead**: a fake OpenAI-compatible server answers every request after 1 s; the
   time Floorwalker adds per turn is the turn's wall time minus a direct client call to the same
   server (baseline), at a fixed concurrency.
3. **Concurrent streams**: `floorwalker serve` (one worker, subprocess) with the same fake
   model; N conversations each send one message at once and read the server-sent events to
   `done`. Reports errors, time to first event and to `done`.

Run: .venv/bin/python benchmarks/bench_assistant.py [--turns 300] [--streams 300]
     [--database-url postgresql://…] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_api import free_port, machine, prepare  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI, Reply  # noqa: E402

from floorwalker.assistant import service as assistant_service  # noqa: E402
from floorwalker.assistant.engine.loop import run_turn  # noqa: E402
from floorwalker.assistant.events import EventType  # noqa: E402
from floorwalker.assistant.identity import verification  # noqa: E402
from floorwalker.assistant.remote.client import ChatClient  # noqa: E402
from floorwalker.assistant.runtime import Runtime  # noqa: E402
from floorwalker.assistant.schemas import ConversationStart  # noqa: E402
from floorwalker.auth import service as auth_service  # noqa: E402
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind  # noqa: E402
from floorwalker.config import Environment, Settings  # noqa: E402
from floorwalker.kit import fields  # noqa: E402
from floorwalker.kit.actor import Actor  # noqa: E402
from floorwalker.kit.db import Database  # noqa: E402
from floorwalker.orders import service as order_service  # noqa: E402
from floorwalker.search import service as search_service  # noqa: E402
from floorwalker.search.schemas import SearchRequest  # noqa: E402

SEARCHES = [
    "red dress",
    "waterproof jacket under $150",
    "black backpack",
    "running shoes in size 10",
    "linen shirt",
    "wool sweater",
    "cheap t-shirt",
    "leather boots",
    "blue jeans",
    "sunglasses",
]
FOLLOW_UPS = [
    "anything cheaper?",
    "is the first one in stock in size M?",
    "tell me more about the second one",
    "compare the first two",
    "add the first one to my cart",
    "what's in my cart?",
]
OTHER = ["hello", "what is your return policy?", "how long does shipping take?", "thanks"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(label: str, ms: list[float], baseline: float | None = None) -> str:
    p50, p99 = statistics.median(ms), pct(ms, 0.99)
    ratio = f"  ×{p50 / baseline:.1f} baseline" if baseline else ""
    return f"  {label:<34} n={len(ms):<4} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms{ratio}"


async def turn(runtime: Runtime, store_id: int, public_id: str, text: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = ""
    async for event in run_turn(runtime, store_id=store_id, public_id=public_id, text=text):
        if event.type is EventType.DONE:
            done = str(event.data.get("text", ""))
    return (time.perf_counter() - started) * 1000, done


async def start(runtime: Runtime, store_id: int, customer_id: int | None = None) -> str:
    async with runtime.db.transaction() as session:
        conversation, _token, _ = await assistant_service.start(
            session, runtime, Actor.system(store_id, "bench"), data=ConversationStart(channel="api")
        )
        if customer_id is not None:
            await verification.apply_identity(
                session, conversation, customer_id=customer_id, via="cli"
            )
        return conversation.public_id


async def local_turns(url: str, settings: Settings, store_id: int, demo: Any, turns: int) -> None:
    db = Database.from_url(url)
    runtime = Runtime.build(db, settings)
    try:
        # Warm-up (not timed): train the intent model, load the search index.
        warm = await start(runtime, store_id)
        await turn(runtime, store_id, warm, "hello")
        await turn(runtime, store_id, warm, "red dress")
        kinds: dict[str, list[float]] = {"search": [], "follow-up": [], "other": [], "orders": []}
        done = 0
        index = 0
        while done < turns:
            public_id = await start(runtime, store_id)
            for text in [SEARCHES[index % len(SEARCHES)], *FOLLOW_UPS[index % 3 :: 3]]:
                ms, _ = await turn(runtime, store_id, public_id, text)
                kinds["search" if text in SEARCHES else "follow-up"].append(ms)
                done += 1
            ms, _ = await turn(runtime, store_id, public_id, OTHER[index % len(OTHER)])
            kinds["other"].append(ms)
            done += 1
            customer = demo.customers[index % len(demo.customers)]
            async with db.reading() as session:
                orders = await order_service.list_orders(
                    session, Actor.system(store_id), customer_id=customer, limit=5
                )
            if orders:
                verified = await start(runtime, store_id, customer)
                for text in (
                    f"where is my order {orders[0].number}?",
                    f"cancel {orders[0].number}",
                ):
                    ms, _ = await turn(runtime, store_id, verified, text)
                    kinds["orders"].append(ms)
                    done += 1
            index += 1
        registry = runtime.search_registry()
        baseline: list[float] = []
        for text in SEARCHES * 5:
            started = time.perf_counter()
            await search_service.search(
                registry,
                Actor.system(store_id),
                request=SearchRequest(q=text, limit=10, facets=False),
            )
            baseline.append((time.perf_counter() - started) * 1000)
        base = statistics.median(baseline)
        every = [ms for values in kinds.values() for ms in values]
        print("1. Local model turns (in-process, full loop with both transactions)")
        print(line("baseline: search service alone", baseline))
        print(line("all turns", every, base))
        for kind, values in kinds.items():
            if values:
                print(line(kind, values, base))
    finally:
        await runtime.close()
        await db.dispose()


async def remote_overhead(
    url: str, settings: Settings, store_id: int, turns: int, concurrency: int
) -> None:
    fake = FakeOpenAI().start()
    fake.default = Reply(delay=1.0, text="Here is what I found for you. Anything else?")
    remote = settings.model_copy(
        update={
            "model_base_url": fake.url,
            "model_api_key": SecretStr("sk-bench"),
            "model_timeout_seconds": 10.0,
        }
    )
    db = Database.from_url(url)
    runtime = Runtime.build(db, remote)
    client = ChatClient(
        base_url=fake.url, api_key="sk-bench", model="fake", timeout=10, max_retries=0
    )
    gate = asyncio.Semaphore(concurrency)
    try:

        async def direct() -> float:
            async with gate:
                started = time.perf_counter()
                async for _ in client.stream([{"role": "user", "content": "hello"}], []):
                    pass
                return (time.perf_counter() - started) * 1000

        async def one(i: int) -> float:
            public_id = await start(runtime, store_id)
            async with gate:
                ms, _ = await turn(runtime, store_id, public_id, f"hello there {i}")
                return ms

        await one(-1)
        baseline = list(await asyncio.gather(*(direct() for _ in range(turns))))
        totals = list(await asyncio.gather(*(one(i) for i in range(turns))))
        base = statistics.median(baseline)
        added = [t - base for t in totals]
        print(f"2. Remote model (fake server answering in 1 s), concurrency {concurrency}")
        print(line("baseline: direct client call", baseline))
        print(line("full turn", totals, base))
        print(line("Floorwalker's share (turn − base)", added))
    finally:
        await client.close()
        await runtime.close()
        await db.dispose()
        fake.stop()


async def streams(url: str, data_dir: Path, store_id: int, count: int) -> None:
    fake = FakeOpenAI().start()
    fake.default = Reply(delay=1.0, text="Hello! I can help you find something. What do you need?")
    db = Database.from_url(url)
    async with db.transaction() as session:
        _key, token = await auth_service.create_key(
            session,
            Actor.system(store_id, "bench"),
            data=ApiKeyCreate(
                name=f"bench widget {time.time_ns()}", kind=KeyKind.PUBLISHABLE, scopes=[]
            ),
        )
    await db.dispose()
    port = free_port()
    env = {
        **os.environ,
        "FLOORWALKER_DATABASE_URL": url,
        "FLOORWALKER_DATA_DIR": str(data_dir),
        "FLOORWALKER_SECRET_KEY": BENCH_SECRET,
        "FLOORWALKER_JOBS": "off",
        "FLOORWALKER_LOG_LEVEL": "WARNING",
        "FLOORWALKER_MODEL_BASE_URL": fake.url,
        "FLOORWALKER_MODEL_TIMEOUT_SECONDS": "30",
        "FLOORWALKER_RATE_LIMIT_PER_IP": "100000",
        "FLOORWALKER_RATE_LIMIT_PER_KEY": "100000",
    }
    command = [
        sys.executable,
        "-m",
        "floorwalker",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-migrate",
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        # uvicorn closes idle keep-alive connections after 5 s; a client reusing one just as it
        # closes reads nothing back (browsers retry that, httpx does not): expire them sooner.
        limits = httpx.Limits(
            max_connections=count + 10, max_keepalive_connections=count + 10, keepalive_expiry=2.0
        )
        async with httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120, limits=limits
        ) as client:
            started_list = await asyncio.gather(
                *(client.post("/v1/conversations", json={}) for _ in range(count))
            )
            conversations = [r.json() for r in started_list if r.status_code == 201]
            errors = count - len(conversations)
            firsts: list[float] = []
            totals: list[float] = []

            async def talk(c: dict[str, Any]) -> bool:
                began = time.perf_counter()
                first = None
                ok = False
                async with client.stream(
                    "POST",
                    f"/v1/conversations/{c['conversation']['id']}/messages",
                    json={"text": "hello"},
                    headers={"X-Conversation-Token": c["token"]},
                ) as response:
                    if response.status_code != 200:
                        return False
                    async for text in response.aiter_lines():
                        if first is None and text.startswith("event:"):
                            first = (time.perf_counter() - began) * 1000
                        if text == "event: done":
                            ok = True
                        if text == "event: error":
                            return False
                totals.append((time.perf_counter() - began) * 1000)
                if first is not None:
                    firsts.append(first)
                return ok

            wall = time.perf_counter()
            results = await asyncio.gather(
                *(talk(c) for c in conversations), return_exceptions=True
            )
            wall = time.perf_counter() - wall
            errors += sum(1 for r in results if r is not True)
            reasons = {repr(r)[:120] for r in results if r is not True}
        print(f"3. {count} concurrent streaming conversations, one worker, model answering in 1 s")
        print(f"  completed {count - errors}/{count}, errors {errors}, wall {wall:.1f} s")
        for reason in sorted(reasons):
            print(f"  error: {reason}")
        if firsts:
            print(line("time to first event", firsts))
            print(line("time to done", totals))
    finally:
        server.terminate()
        server.wait(timeout=30)
        fake.stop()


BENCH_SECRET = "bench-secret-key-that-is-long-enough-0123"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--remote-turns", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument(
        "--parts", default="local,remote,streams", help="Which parts to run (comma-separated)."
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    scratch = Path(tempfile.mkdtemp(prefix="fw-bench-assistant-"))
    url = args.database_url or f"sqlite:///{scratch / 'bench.db'}"
    # Customers' contact fields are encrypted with this key: the demo store is written with
    # it, and the server the streams part starts is given it too.
    fields.configure(BENCH_SECRET)
    demo = prepare(url, args.scale)
    settings = Settings(
        environment=Environment.DEVELOPMENT,
        database_url=url,
        data_dir=scratch,
        secret_key=SecretStr(BENCH_SECRET),
        _env_file=None,  # type: ignore[call-arg]
    )
    print(f"Machine: {machine(url)}")
    print("Command: " + shlex.join([sys.executable, *sys.argv]))
    print(f"Demo store: {len(demo.products)} products, {len(demo.orders)} orders")
    parts = set(args.parts.split(","))
    if "local" in parts:
        asyncio.run(local_turns(url, settings, demo.store_id, demo, args.turns))
    if "remote" in parts:
        asyncio.run(
            remote_overhead(url, settings, demo.store_id, args.remote_turns, args.concurrency)
        )
    if "streams" in parts:
        asyncio.run(streams(url, scratch, demo.store_id, args.streams))
    print(json.dumps({"note": "figures are disturbed by other load on a shared machine"}))


if __name__ == "__main__":
    main()
