from django.urls import path

from jamlik.indicators import entry_views, own_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("riket/", views.national_overview, name="national"),
    path("lan/<str:code>/", views.county_overview, name="overview"),
    path("lan/<str:code>/csv/", views.overview_csv, name="overview-csv"),
    path("kommun/<str:code>/", views.kommun_profile, name="profile"),
    path("kommun/<str:code>/csv/", views.kommun_profile_csv, name="profile-csv"),
    path("indikator/<str:code>/", views.indicator_detail, name="indicator"),
    path("indikator/<str:code>/csv/", views.indicator_csv, name="indicator-csv"),
    path("import/", views.import_upload, name="import"),
    path("import/<str:token>/", views.import_preview, name="import-preview"),
    path("lan/<str:code>/importer/", views.import_runs, name="import-runs"),
    path(
        "lan/<str:code>/importer/<int:pk>/publicering/",
        views.import_run_publish,
        name="import-run-publish",
    ),
    path("egna-indikatorer/", own_views.own_home, name="own-home"),
    path("lan/<str:code>/egna-indikatorer/", own_views.own_list, name="own-list"),
    path("lan/<str:code>/egna-indikatorer/ny/", own_views.own_create, name="own-create"),
    path("lan/<str:code>/egna-indikatorer/<int:pk>/", own_views.own_edit, name="own-edit"),
    path(
        "lan/<str:code>/egna-indikatorer/<int:pk>/katalog/",
        own_views.own_promote,
        name="own-promote",
    ),
    path("inmatning/", entry_views.entry_index, name="entry"),
    path("inmatning/<str:indicator>/<path:period>/", entry_views.entry_form, name="entry-form"),
    path("lan/<str:code>/fullstandighet/", entry_views.completeness_view, name="completeness"),
]
