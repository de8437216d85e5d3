"""The `floorwalker` command: noun-verb subcommands, thin over the services."""
