"""URL patterns of the followup pages, added to the support namespace (issue 18)."""

from django.urls import URLPattern, path

from jamlik.support import followup_views

urlpatterns: list[URLPattern] = [
    path("svar/<str:token>/", followup_views.answer, name="followup-answer"),
    path("svar/<str:token>/tack/", followup_views.thanks, name="followup-thanks"),
    path("aktiviteter/<int:pk>/uppfoljning/", followup_views.results, name="followup-results"),
    path("aktiviteter/<int:pk>/uppfoljning/oppna/", followup_views.open_link, name="followup-open"),
    path(
        "aktiviteter/<int:pk>/uppfoljning/stang/", followup_views.close_link, name="followup-close"
    ),
    path("uppfoljning/", followup_views.county_results, name="followup-county"),
    path("uppfoljning.csv", followup_views.county_csv, name="followup-county-csv"),
]
