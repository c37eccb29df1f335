from django.urls import path

from jamlik.reports import views

app_name = "reports"
urlpatterns = [
    path("kommun/<str:code>/lagesbild.pdf", views.kommun_profile, name="kommun-profile-pdf"),
    path("kommun/<str:code>/lagesbild.xlsx", views.kommun_profile_xlsx, name="kommun-profile-xlsx"),
    path("lan/", views.county_report_home, name="county-report-home"),
    path("lan/<str:code>/<int:year>/", views.county_report, name="county-report"),
    *(
        path(
            f"lan/<str:code>/<int:year>/rapport.{suffix}",
            views.county_report_file,
            {"suffix": suffix},
            name=f"county-report-{suffix}",
        )
        for suffix in views.FORMATS
    ),
]
