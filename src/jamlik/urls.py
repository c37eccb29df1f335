"""URL map: each app's pages under its own Swedish prefix, the API at /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from jamlik.api import api

urlpatterns = [
    path("", include("jamlik.core.urls")),
    path("", include("jamlik.geo.urls")),
    path("konto/", include("jamlik.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jamlik.reports.urls_national")),
    path("lagesbild/", include("jamlik.indicators.urls")),
    path("aktorer/", include("jamlik.actors.urls")),
    path("forutsattningar/", include("jamlik.prerequisites.urls")),
    path("stod/", include("jamlik.support.urls")),
    path("prevention/", include("jamlik.prevention.urls")),
    path("ekonomi/", include("jamlik.economics.urls")),
    path("rapporter/", include("jamlik.reports.urls")),
    path("rapportering/", include("jamlik.reports.urls_upward")),
    path("ungdomsenkat/", include("jamlik.surveys.urls")),
]

# Friendly, translated refusal and error pages (jamlik.core.errors).
handler403 = "jamlik.core.errors.permission_denied"
handler404 = "jamlik.core.errors.page_not_found"
handler500 = "jamlik.core.errors.server_error"
