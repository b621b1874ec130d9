"""The workshop envelope (metadata, artefacts), defined by the store and re-exported here for callers.

The envelope lives in :mod:`workbench.store.models` so that the store never imports the workshop layer;
the typed content of each artefact kind is in :mod:`workbench.workshop.documents`.
"""

from workbench.store.models import (
    ID_PATTERN,
    MAX_NOTES,
    MAX_TEXT,
    Artefact,
    ArtefactKind,
    DamagedArtefact,
    Workshop,
    WorkshopMeta,
    WorkshopSummary,
)

__all__ = ["ID_PATTERN", "MAX_NOTES", "MAX_TEXT", "Artefact", "ArtefactKind", "DamagedArtefact", "Workshop",
           "WorkshopMeta", "WorkshopSummary"]
