"""Reference frameworks as versioned data files with typed loaders (no Django).

``load(name, county=...)`` returns a frozen dataclass; see ``FRAMEWORK_NAMES``.
The geography of Sweden lives beside these in :mod:`jamlik.frameworks.geography`.
"""

from jamlik.frameworks.errors import FrameworkError, UnknownFrameworkError
from jamlik.frameworks.registry import (
    FRAMEWORK_NAMES,
    default_path,
    load,
    override_path,
    resolve,
    validate_file,
)
from jamlik.frameworks.types import (
    EvidenceStrength,
    Factor,
    FactorKind,
    Forutsattningar,
    Framework,
    Kvalitetsmodell,
    Malomraden,
    Preventionsstjarna,
    StarZone,
    Stodtrappa,
)

__all__ = [
    "FRAMEWORK_NAMES",
    "EvidenceStrength",
    "Factor",
    "FactorKind",
    "FrameworkError",
    "Forutsattningar",
    "Framework",
    "Kvalitetsmodell",
    "Malomraden",
    "Preventionsstjarna",
    "StarZone",
    "Stodtrappa",
    "UnknownFrameworkError",
    "default_path",
    "load",
    "override_path",
    "resolve",
    "validate_file",
]
