"""Capacity engine: queueing (Erlang, M/M/c, M/G/1, G/G/c), Little's law, USL, MVA and sizing.

One module per model; results are the pydantic models of :mod:`workbench.capacity.models`.
All core units are SI: requests per second and seconds.
"""
