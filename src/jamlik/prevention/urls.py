from django.urls import path

from jamlik.prevention import views

app_name = "prevention"
urlpatterns = [
    path("", views.star_page, name="star"),
    path("insatser/", views.intervention_list, name="interventions"),
    path("insatser/ny/", views.intervention_edit, name="intervention-add"),
    path("insatser/<slug:key>/", views.intervention_detail, name="intervention"),
    path("insatser/<slug:key>/andra/", views.intervention_edit, name="intervention-edit"),
    path("urval/", views.selection, name="selection"),
    path("planer/", views.plan_list, name="plans"),
    path("planer/ny/<str:code>/", views.plan_create, name="plan-add"),
    path("planer/<int:pk>/", views.plan_detail, name="plan"),
    path("planer/<int:pk>/andra/", views.plan_edit, name="plan-edit"),
    path("planer/<int:pk>/steg/<int:number>/", views.step_edit, name="plan-step"),
    path("planer/<int:pk>/mal/", views.target_add, name="target-add"),
    path("mal/<int:pk>/ta-bort/", views.target_delete, name="target-delete"),
]
