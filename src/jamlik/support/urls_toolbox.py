"""URL patterns of the toolbox pages, added to the support namespace (issue 18)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
