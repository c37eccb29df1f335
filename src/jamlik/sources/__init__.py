"""Connectors that turn external data into canonical observations.

Pure Python (no Django): Kolada v3, PxWeb v1/v2 (SCB, Folkhälsodata) and the
CSV/XLSX import template all produce :class:`Observation` rows; the
``indicators`` app stores them.
"""

from jamlik.sources.areas import normalise_area_code, to_kolada_area
from jamlik.sources.errors import (
    ImportProblem,
    ImportValidationError,
    ImportWarning,
    QueryFileError,
    SourceError,
    SourceOfflineError,
)
from jamlik.sources.http import JsonHttp, RetryPolicy, Throttle
from jamlik.sources.kolada import KoladaClient
from jamlik.sources.observations import COLUMNS, Observation, to_dataframe
from jamlik.sources.periods import Period, PeriodKind, expand_years, parse_period
from jamlik.sources.pxweb import PxResult, PxWebClient
from jamlik.sources.pxweb_query import PxQuery, VariableRole, load_query, parse_query
from jamlik.sources.template import ImportedFile, read_import_file

__all__ = [
    "COLUMNS",
    "ImportProblem",
    "ImportValidationError",
    "ImportWarning",
    "ImportedFile",
    "JsonHttp",
    "KoladaClient",
    "Observation",
    "Period",
    "PeriodKind",
    "PxQuery",
    "PxResult",
    "PxWebClient",
    "QueryFileError",
    "RetryPolicy",
    "SourceError",
    "SourceOfflineError",
    "Throttle",
    "VariableRole",
    "expand_years",
    "load_query",
    "normalise_area_code",
    "parse_period",
    "parse_query",
    "read_import_file",
    "to_dataframe",
    "to_kolada_area",
]
