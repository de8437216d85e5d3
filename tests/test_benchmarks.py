"""Every benchmark still runs: each at a tiny scale, through its own command line.

The benchmarks are not run by the suite at full size (their figures are in the README), and
three of them once broke without anyone noticing (a new required setting). A run at a scale
of seconds catches that; the figures it prints mean nothing and are not checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import uci_online_retail

ROOT = Path(__file__).resolve().parent.parent

TINY = {
    "bench_api.py": ["--scale", "0.02", "--duration", "0.5", "--concurrency", "2"],
    "bench_assistant.py": [
        "--scale",
        "0.02",
        "--turns",
        "4",
        "--remote-turns",
        "2",
        "--streams",
        "3",
        "--concurrency",
        "2",
    ],
    "bench_events.py": ["--events", "1000", "--batch", "250", "--clients", "2", "--rounds", "1"],
    "bench_forecast.py": ["--runs", "1", "--scale", "0.02", "--skip-uci"],
    "bench_import.py": ["--products", "200", "--events", "3000", "--customers", "50"],
    "bench_orders.py": ["--orders", "100", "--ops", "3", "--backend", "sqlite"],
    "bench_recommend.py": ["--requests", "20", "--train-runs", "1", "--data", "{uci}"],
    "bench_search.py": ["--products", "300", "--queries", "20"],
    "bench_upsert.py": ["--products", "300", "--batch", "100", "--backend", "sqlite"],
}


def test_every_benchmark_has_a_tiny_run() -> None:
    assert sorted(TINY) == sorted(p.name for p in (ROOT / "benchmarks").glob("bench_*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(TINY))
def test_the_benchmark_runs_and_prints_how_to_reproduce_it(script: str, tmp_path: Path) -> None:
    args = [a.replace("{uci}", str(uci_online_retail())) for a in TINY[script]]
    env = {**os.environ, "TMPDIR": str(tmp_path)}

    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "Traceback" not in done.stderr
    lines = done.stdout.lower().splitlines()
    assert any(line.startswith(("reproduce", "command")) for line in lines), done.stdout
