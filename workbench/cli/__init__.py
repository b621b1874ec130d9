"""The command-line interface (Typer): ``python -m workbench …``; each engine registers its commands."""
