"""Customers, their addresses and payment-method references (never card numbers)."""
