from django.urls import path

from jamlik.actors import views, views_workflow

app_name = "actors"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("aktor/ny/", views.actor_edit, name="actor-create"),
    path("aktor/<int:pk>/", views.actor_detail, name="actor"),
    path("aktor/<int:pk>/andra/", views.actor_edit, name="actor-edit"),
    path("insats/ny/", views.activity_edit, name="activity-create"),
    path("insats/<int:pk>/", views.activity_detail, name="activity"),
    path("insats/<int:pk>/andra/", views.activity_edit, name="activity-edit"),
    path("tackning/", views.matrix, name="matrix"),
    path("luckor/", views.gaps, name="gaps"),
    path("lansstyrelsen/", views.county_board, name="county-board"),
    path("natverk/", views.network_view, name="networks"),
    path("natverk/nytt/", views.network_edit, name="network-create"),
    path("natverk/<int:pk>/", views.network_detail, name="network"),
    path("natverk/<int:pk>/andra/", views.network_edit, name="network-edit"),
    path("aktor/<int:pk>/relation/", views.relation_add, name="relation-add"),
    path("<str:kind>/<int:pk>/ta-bort/", views.record_delete, name="delete"),
    path("inventering/", views_workflow.rounds, name="rounds"),
    path("inventering/<int:pk>/", views_workflow.round_detail, name="round"),
    path("import/", views_workflow.import_view, name="import"),
    path("mall.xlsx", views_workflow.template_xlsx, name="template"),
    path("export/<str:county>/<str:fmt>/", views_workflow.export, name="export"),
    path("nationellt/", views_workflow.national, name="national"),
    path("nationellt/paket/", views_workflow.package_import, name="package-import"),
    path("nationellt/granska/<int:pk>/", views_workflow.merge_decision, name="merge-decision"),
]
