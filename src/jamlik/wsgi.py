"""WSGI entry point (``jamlik serve`` runs it with gunicorn worker processes, or waitress where gunicorn is not available)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamlik.settings")
application = get_wsgi_application()
# Django, the apps and their libraries are loaded for the life of the process: keep
# them out of the garbage collector's scans, which otherwise cost a quarter of a PDF.
gc.freeze()
