"""Shopify: the Admin GraphQL API for sync and write-back, REST-shaped webhooks in."""
