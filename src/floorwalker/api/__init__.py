"""The HTTP face: routes under /v1, dependencies, error handlers."""
