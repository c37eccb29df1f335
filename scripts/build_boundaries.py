"""Build the kommun and län boundaries shipped in ``src/jamlik/geo/data`` from a source file.

Run from the repository root (the source defaults to the shared reference copy of
okfse/sweden-geojson's ``swedish_municipalities.geojson``)::

    .venv/bin/python scripts/build_boundaries.py [SOURCE]

The work is :func:`jamlik.geo.shipped.build`: it checks that all 290 kommun codes are
present, repairs, simplifies the kommuner together (tolerance
:data:`jamlik.geo.shipped.TOLERANCE`), rounds, and dissolves the 21 län from their
kommuner. ``data/README.md`` records the source, its terms and these settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "geo" / "kommuner.geojson"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from jamlik.geo.shipped import KOMMUNER_FILE, LAN_FILE, build

    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    built = build(source)
    target = ROOT / "src" / "jamlik" / "geo" / "data"
    target.mkdir(parents=True, exist_ok=True)
    for name, text in ((KOMMUNER_FILE, built.kommuner), (LAN_FILE, built.lan)):
        (target / name).write_text(text, encoding="utf-8")
        sys.stdout.write(f"{target / name}: {len(text.encode()) / 1000:.0f} kB\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
