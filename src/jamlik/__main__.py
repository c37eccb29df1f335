"""``python -m jamlik`` is the ``jamlik`` command."""

from jamlik.cli import main

main()
