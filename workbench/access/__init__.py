"""Who may do what with a workshop: principals (the local user, a signed-in e-mail, a share link) and the
access-checked store every page and CLI command goes through (:class:`AccessStore`)."""

from workbench.access.guard import AccessStore, principal_for_share
from workbench.access.principal import Principal, normalise_email

__all__ = ["AccessStore", "Principal", "normalise_email", "principal_for_share"]
