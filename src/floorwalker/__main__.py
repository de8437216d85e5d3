"""`python -m floorwalker` runs the command-line interface."""

from floorwalker.cli.main import main

main()
