"""`python -m cli ...` runs `techreg ...`."""

from cli.main import main

main()
