from django.urls import path

from jamlik.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("lan/<str:code>/", views.county, name="county"),
    path("lan/<str:code>/skalor/", views.scales, name="scales"),
    path("lan/<str:code>/skalor.toml", views.scales_download, name="scales-download"),
    path("lan/<str:code>/demofil.csv", views.demo_file, name="demo-file"),
    path("kommun/<str:code>/", views.kommun, name="kommun"),
]
