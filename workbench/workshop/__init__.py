"""The workshop layer: one customer engagement, its artefacts, and (later) the chain between engines."""
