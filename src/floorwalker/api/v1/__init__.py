"""Version 1 of the REST API. One module per context; routes stay thin."""
