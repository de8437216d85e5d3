"""API keys and scopes, shopper identity tokens, staff users and rate limits."""
