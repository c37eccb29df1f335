"""Shared web pieces: the layout, site state (demo flag), charts, CSV exports, page sections."""
