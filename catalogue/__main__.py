"""`python -m catalogue` runs the command-line interface."""

from catalogue.cli import main

raise SystemExit(main())
