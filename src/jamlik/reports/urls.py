from django.urls import path

from jamlik.reports import views

app_name = "reports"
urlpatterns = [
    path("kommun/<str:code>/lagesbild.pdf", views.kommun_profile, name="kommun-profile-pdf"),
]
