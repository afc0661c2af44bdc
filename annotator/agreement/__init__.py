"""Agreement statistics: pure functions over labels, no database and no Qt."""

from .kappa import cohen_kappa

__all__ = ["cohen_kappa"]
