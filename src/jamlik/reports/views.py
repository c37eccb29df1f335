"""Report downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.viewstate import ViewState
from jamlik.reports.kommun_profile import kommun_profile_pdf


def kommun_profile(request: HttpRequest, code: str) -> HttpResponse:
    """The kommun's lokal lägesbild as a PDF (public data, disclosure-controlled)."""
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    pdf = kommun_profile_pdf(area, ViewState.from_query(request.GET))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lagesbild-{area.code}.pdf"'
    return response
