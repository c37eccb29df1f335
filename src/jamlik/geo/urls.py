from django.urls import path

from jamlik.geo import views

app_name = "geo"
urlpatterns = [
    path("lan/", views.county_list, name="county-list"),
    path("omrade/<str:code>/", views.area_detail, name="area"),
    path("omrade/<str:code>/nytt-delomrade/", views.district_add, name="district-add"),
]
