from django.urls import path

from jamlik.geo import views

app_name = "geo"
urlpatterns = [
    path("lan/", views.county_list, name="county-list"),
    path("omrade/<str:code>/", views.area_detail, name="area"),
    path("omrade/<str:code>/delomraden/", views.district_list, name="district-list"),
    path("omrade/<str:code>/delomraden/fil/", views.district_file, name="district-file"),
    path(
        "omrade/<str:code>/delomraden/granser/",
        views.district_boundaries,
        name="district-boundaries",
    ),
    path("omrade/<str:code>/nytt-delomrade/", views.district_add, name="district-add"),
    path("omrade/<str:code>/andra/", views.district_edit, name="district-edit"),
    path("omrade/<str:code>/ta-bort/", views.district_delete, name="district-delete"),
]
