"""The shared rich console (the only place the CLI prints from)."""

from rich.console import Console

console = Console()
