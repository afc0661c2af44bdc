"""Agreement statistics: pure functions over labels, no database and no Qt.

The names below load on first use (numpy with them): the measure registry alone, which the
command line's choices read, must not cost numpy's start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .alpha import krippendorff_alpha, krippendorff_alpha_from_codes
    from .kappa import cohen_kappa, cohen_kappa_from_codes, fleiss_kappa
    from .measures import MEASURES, Measure, measure
    from .unitizing import (
        disagreement_by_category,
        unitizing_alpha,
        unitizing_alpha_from_disagreements,
    )

_WHERE = {
    "krippendorff_alpha": "alpha", "krippendorff_alpha_from_codes": "alpha",
    "cohen_kappa": "kappa", "cohen_kappa_from_codes": "kappa", "fleiss_kappa": "kappa",
    "MEASURES": "measures", "Measure": "measures", "measure": "measures",
    "disagreement_by_category": "unitizing", "unitizing_alpha": "unitizing",
    "unitizing_alpha_from_disagreements": "unitizing",
}

__all__ = [
    "MEASURES", "Measure", "cohen_kappa", "cohen_kappa_from_codes", "disagreement_by_category",
    "fleiss_kappa", "krippendorff_alpha", "krippendorff_alpha_from_codes", "measure",
    "unitizing_alpha", "unitizing_alpha_from_disagreements",
]
assert sorted(__all__) == sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
