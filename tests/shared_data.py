"""Where the shared research data lives (tests may read it; the product never does).

The repository is normally checked out next to `shared/` (`../shared`); a clean clone elsewhere
(CI) finds it at `/work/shared`, or wherever FLOORWALKER_SHARED_DATA points.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """The `shared/data` directory; a clear error if it cannot be found."""
    candidates = [
        Path(os.environ["FLOORWALKER_SHARED_DATA"])
        if "FLOORWALKER_SHARED_DATA" in os.environ
        else None,
        ROOT.parent / "shared" / "data",
        Path("/work/shared/data"),
    ]
    for candidate in candidates:
        if candidate is not None and (candidate / "uci_online_retail").is_dir():
            return candidate
    raise FileNotFoundError(
        "shared/data/uci_online_retail not found next to the repository or at /work/shared; "
        "set FLOORWALKER_SHARED_DATA to the shared/data directory"
    )


def uci_online_retail() -> Path:
    """The UCI Online Retail parquet file."""
    return shared_data_dir() / "uci_online_retail" / "online_retail.parquet"
