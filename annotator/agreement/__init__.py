"""Agreement statistics: pure functions over labels, no database and no Qt."""

from .alpha import krippendorff_alpha, krippendorff_alpha_from_codes
from .kappa import cohen_kappa, fleiss_kappa
from .unitizing import disagreement_by_category, unitizing_alpha

__all__ = [
    "cohen_kappa",
    "disagreement_by_category",
    "fleiss_kappa",
    "krippendorff_alpha",
    "krippendorff_alpha_from_codes",
    "unitizing_alpha",
]
