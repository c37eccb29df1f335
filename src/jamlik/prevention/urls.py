from django.urls import path

from jamlik.prevention import (
    evidence_views,
    plan_intervention_views,
    urls_dialogue,
    urls_sharing,
    views,
)

app_name = "prevention"
urlpatterns = [
    path("", views.star_page, name="star"),
    path("insatser/", views.intervention_list, name="interventions"),
    path("insatser/ny/", views.intervention_edit, name="intervention-add"),
    path("insatser/evidens/", evidence_views.evidence_list, name="evidence"),
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

# A plan's chosen interventions (step 4, "choose interventions").
urlpatterns += [
    path(
        "planer/<int:pk>/insatser/ny/",
        plan_intervention_views.add,
        name="plan-intervention-add",
    ),
    path(
        "planer/<int:pk>/insatser/<int:item>/andra/",
        plan_intervention_views.edit,
        name="plan-intervention-edit",
    ),
    path(
        "planer/<int:pk>/insatser/<int:item>/ta-bort/",
        plan_intervention_views.delete,
        name="plan-intervention-delete",
    ),
    path("planer/valj-insats/", plan_intervention_views.choose, name="plan-intervention-choose"),
]
urlpatterns += urls_dialogue.urlpatterns + urls_sharing.urlpatterns
