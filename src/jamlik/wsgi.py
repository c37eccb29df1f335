"""WSGI entry point (``jamlik serve`` runs it with gunicorn worker processes, or waitress where gunicorn is not available)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamlik.settings")
application = get_wsgi_application()
