"""Migration scripts, one per revision (a package only so that the files are installed with workbench)."""
