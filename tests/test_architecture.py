"""The house rules that import-linter cannot express, checked on the source tree.

A context uses another context only through its `service`, `schemas`, `errors`, `policy` and
`validation` (database-free checks, light enough for a helper process: decision 0020) modules.
Exception (docs/decisions/0007): read-only analytical `queries.py` modules of `recommend` and
`insights` may read other contexts' ORM models; `floorwalker.models` imports every model.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "floorwalker"
CONTEXTS = {
    "stores", "auth", "audit", "catalog", "inventory", "customers", "orders", "knowledge",
    "events", "connectors", "search", "recommend", "assistant", "insights", "privacy", "demo",
}  # fmt: skip
PUBLIC = {"service", "schemas", "errors", "policy", "validation"}
ANALYTICAL = {("recommend", "queries"), ("insights", "queries"), ("demo", "generator")}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend(
                [node.module]
                + [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
            )
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_contexts_use_each_other_only_through_public_modules() -> None:
    violations = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).with_suffix("").parts
        if rel[0] not in CONTEXTS:
            continue
        own = rel[0]
        module_name = rel[-1] if len(rel) > 1 else ""
        if (own, module_name) in ANALYTICAL:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "floorwalker" or len(parts) < 3 or parts[1] not in CONTEXTS:
                continue
            if parts[1] == own:
                continue
            if parts[2] not in PUBLIC:
                violations.append(f"{'/'.join(rel)} imports {name}")
    # `from floorwalker.x import service` also yields the bare package name; ignore those.
    violations = [v for v in violations if not v.endswith(tuple(f".{c}" for c in CONTEXTS))]
    assert sorted(set(violations)) == []
