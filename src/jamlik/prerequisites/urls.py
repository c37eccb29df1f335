from django.urls import path

from jamlik.prerequisites import instrument_views, manage_views, views

app_name = "prerequisites"
urlpatterns = [
    path("", views.index, name="index"),
    path("lan/<str:code>/", views.county_overview, name="county"),
    path("lan/<str:code>/utvardering/", views.evaluation_page, name="evaluation"),
    path("lan/<str:code>/metod/", manage_views.method, name="method"),
    path(
        "lan/<str:code>/instrument/<int:pk>/",
        instrument_views.instrument_detail,
        name="instrument",
    ),
    path(
        "lan/<str:code>/instrument/<int:pk>/ny-fraga/",
        instrument_views.item_edit,
        name="item-add",
    ),
    path(
        "lan/<str:code>/instrument/<int:pk>/fraga/<int:item_pk>/",
        instrument_views.item_edit,
        name="item-edit",
    ),
    path(
        "lan/<str:code>/instrument/<int:pk>/fraga/<int:item_pk>/ta-bort/",
        instrument_views.item_delete,
        name="item-delete",
    ),
    path("lan/<str:code>/ny-omgang/", manage_views.round_create, name="round-create"),
    path("lan/<str:code>/omgang/<int:year>/", manage_views.round_progress, name="round"),
    path(
        "lan/<str:code>/omgang/<int:year>/export.<str:fmt>",
        manage_views.export,
        name="export",
    ),
    path("lan/<str:code>/ordlistor/", manage_views.document_themes, name="document-themes"),
    path("lan/<str:code>/intervjuteman/", manage_views.interview_themes, name="interview-themes"),
    path(
        "lan/<str:code>/grupper/<int:baseline>-<int:follow_up>/",
        manage_views.groups,
        name="groups",
    ),
    path("kommun/<str:code>/", views.kommun_profile, name="profile"),
    path("kommun/<str:code>/enkat/<int:year>/", views.survey_form, name="survey"),
    path("kommun/<str:code>/dokument/", views.documents, name="documents"),
    path("kommun/<str:code>/intervjuer/", manage_views.interviews, name="interviews"),
    path("dokument/<int:pk>/", views.document_detail, name="document"),
]
