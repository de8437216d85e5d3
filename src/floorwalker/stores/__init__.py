"""Tenants: a store, its settings and its policy."""
