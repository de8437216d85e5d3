"""WooCommerce: the REST API v3 for sync and write-back, signed webhooks in."""
