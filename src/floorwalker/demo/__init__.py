"""The demo store: a realistic, deterministic retailer to try everything on."""
