"""Reporting upward (county → national), under /rapportering/."""

from django.urls import path

from jamlik.reports import upward_views as views

app_name = "upward"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.template_create, name="template-create"),
    path("<int:year>/", views.template_status, name="template"),
    path("<int:year>/redigera/", views.template_edit, name="template-edit"),
    path("<int:year>/lan/<str:code>/", views.submission, name="submission"),
]
