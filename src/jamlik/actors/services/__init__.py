"""The only place that changes actor-map data: editing, rounds, imports and packages.

Split by concept; everything is re-exported here so callers import ``jamlik.actors.services``.
"""

from jamlik.actors.services.editing import (
    add_relation,
    can_edit,
    delete_record,
    ensure_can_edit,
    save_activity,
    save_actor,
    save_network,
)
from jamlik.actors.services.imports import ImportResult, import_sheets, parse_context
from jamlik.actors.services.packages import (
    FORMAT,
    FORMAT_VERSION,
    PackageImport,
    decide_merge,
    export_package,
    import_county_package,
)
from jamlik.actors.services.rounds import (
    RoundError,
    close_inventory_round,
    confirm_kommun,
    diff_maps,
    inventory_reminders,
    open_inventory_round,
    round_report,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ImportResult",
    "PackageImport",
    "RoundError",
    "add_relation",
    "can_edit",
    "close_inventory_round",
    "confirm_kommun",
    "decide_merge",
    "delete_record",
    "diff_maps",
    "inventory_reminders",
    "ensure_can_edit",
    "export_package",
    "import_county_package",
    "import_sheets",
    "open_inventory_round",
    "parse_context",
    "round_report",
    "save_activity",
    "save_actor",
    "save_network",
]
