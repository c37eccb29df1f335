"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from jamlik.urls import handler403, handler404, handler500
from jamlik.urls import urlpatterns as site_urls


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [path("test-crash/", crash), path("test-refuse/", refuse), *site_urls]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
