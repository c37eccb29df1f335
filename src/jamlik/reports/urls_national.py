"""The national picture's pages, a county's release page and the national report.

Included once from ``jamlik.urls`` at the root, since the paths live under two
prefixes: ``/lagesbild/`` (the pictures) and ``/rapporter/`` (the report).
"""

from django.urls import path

from jamlik.reports import national_views as views

app_name = "national"
urlpatterns = [
    path("lagesbild/riket/oversikt/", views.hub, name="hub"),
    path("lagesbild/riket/forutsattningar/", views.prerequisites, name="prerequisites"),
    path("lagesbild/riket/stod/", views.support, name="support"),
    path("lagesbild/riket/planer/", views.plans, name="plans"),
    path("lagesbild/riket/insatser/", views.interventions, name="interventions"),
    path(
        "lagesbild/lan/<str:code>/nationell-rapportering/",
        views.county_release,
        name="county-release",
    ),
    path("rapporter/riket/<int:year>/", views.report, name="report"),
    path(
        "rapporter/riket/<int:year>/rapport.<str:fmt>",
        views.report_download,
        name="report-download",
    ),
]
