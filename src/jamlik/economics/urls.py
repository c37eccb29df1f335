from django.urls import path

from jamlik.economics import views

app_name = "economics"
urlpatterns = [
    path("", views.index, name="index"),
    path("nytt-scenario/", views.new, name="new"),
    path("jamfor/", views.compare, name="compare"),
    path("enhetskostnader/", views.unit_cost_table, name="unit-costs"),
    path("kommun/<str:code>/nytt-scenario/", views.create, name="create"),
    path("scenario/<int:pk>/", views.detail, name="detail"),
    path("scenario/<int:pk>/redigera/", views.edit, name="edit"),
    path("scenario/<int:pk>/ta-bort/", views.delete, name="delete"),
    path("scenario/<int:pk>/per-ar.csv", views.yearly_csv, name="csv"),
    path("scenario/<int:pk>/scenario.xlsx", views.xlsx, name="xlsx"),
    path("scenario/<int:pk>/scenario.pdf", views.pdf, name="pdf"),
    path("fran-plan/<int:pk>/", views.scenario_from_plan, name="from-plan"),
]
