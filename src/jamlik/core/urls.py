from django.urls import path

from jamlik.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("metoder/", views.methods, name="methods"),
    path("favicon.ico", views.favicon),
]
