from django.urls import path

from jamlik.support import expert_views, urls_followup, urls_toolbox, views

app_name = "support"
urlpatterns = [
    path("", views.ladder_overview, name="ladder"),
    path("kommun/<str:code>/", views.municipality_ladder, name="municipality"),
    path("aktiviteter/", views.activity_list, name="activities"),
    path("aktiviteter/ny/", views.activity_edit, name="activity-add"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity"),
    path("aktiviteter/<int:pk>/andra/", views.activity_edit, name="activity-edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views.activity_delete, name="activity-delete"),
    path("overenskommelser/", views.agreement_list, name="agreements"),
    path("overenskommelser/ny/", views.agreement_edit, name="agreement-add"),
    path("overenskommelser/<int:pk>/", views.agreement_detail, name="agreement"),
    path("overenskommelser/<int:pk>/andra/", views.agreement_edit, name="agreement-edit"),
    path("overenskommelser/<int:pk>/ataganden/", views.commitment_add, name="commitment-add"),
    path("overenskommelser/<int:pk>/uppfoljning/", views.follow_up_add, name="follow-up-add"),
    path("ataganden/<int:pk>/status/", views.commitment_status, name="commitment-status"),
    path("behov/", views.need_view, name="need"),
    path("behov.csv", views.need_csv, name="need-csv"),
    path("trappa.csv", views.ladder_csv, name="ladder-csv"),
    path("behov/komponent/", views.need_component_save, name="need-component-add"),
    path("behov/komponent/<int:pk>/", views.need_component_save, name="need-component"),
    path("experter/", expert_views.expert_list, name="experts"),
    path("experter/ny/", expert_views.expert_edit, name="expert-add"),
    path("experter/<int:pk>/", expert_views.expert_detail, name="expert"),
    path("experter/<int:pk>/andra/", expert_views.expert_edit, name="expert-edit"),
]
urlpatterns += urls_followup.urlpatterns + urls_toolbox.urlpatterns
