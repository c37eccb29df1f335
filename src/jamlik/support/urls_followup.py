"""URL patterns of the followup pages, added to the support namespace (issue 18)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
