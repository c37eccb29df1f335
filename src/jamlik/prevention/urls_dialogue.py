"""URL patterns of the plan dialogue pages, added to the prevention namespace (issue 18)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
