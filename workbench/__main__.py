"""``python -m workbench``: the same core as the pages, from a terminal."""

from workbench.cli.main import main

if __name__ == "__main__":
    main()
