"""Uploading an indicator file on the web as a user does: the upload, then its preview's
confirmation (jamlik.indicators.import_preview). For tests that need the file stored."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

IMPORT_URL = "/lagesbild/import/"


def upload_and_confirm(client: Client, upload: SimpleUploadedFile, **answers: str) -> Any:
    """Upload ``upload`` and confirm the preview (``answers`` as ``q0="0127 Botkyrka"``).

    Returns the last response: the upload page with problems (200) if the file had
    any, else the confirmation's redirect (302) or the preview again (200).
    """
    response = client.post(IMPORT_URL, {"file": upload})
    if response.status_code != 302 or not response["Location"].startswith(IMPORT_URL):
        return response
    return client.post(response["Location"], {"action": "confirm", **answers})
