"""Stock per variant per location: on hand, reserved, available."""
