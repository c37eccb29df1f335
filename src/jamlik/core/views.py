"""Site-wide pages: the start page and the methods page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from jamlik.core.methods import methods_html
from jamlik.geo.models import Area


def home(request: HttpRequest) -> HttpResponse:
    counties = Area.objects.counties()
    return render(request, "core/home.html", {"counties": counties})


def methods(request: HttpRequest) -> HttpResponse:
    html = methods_html()
    if html is None:
        raise Http404("The methods document is not installed.")
    return render(request, "core/methods.html", {"methods_html": html})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to; answer with the icon."""
    return HttpResponsePermanentRedirect(static("jamlik/favicon.svg"))
