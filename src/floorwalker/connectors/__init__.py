"""Connectors: imports from files and feeds, platform sync (Shopify, WooCommerce), write-back."""
