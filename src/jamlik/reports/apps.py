from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "jamlik.reports"
    label = "reports"
    verbose_name = _("Reports")
    # one seeder per app: jamlik.reports.demo.seed also seeds the reporting-upward demo
    demo_seed = "jamlik.reports.demo.seed"
    demo_order = 95  # after every app whose records the demo county releases
    nav_items = [
        (_("Reporting upward"), "upward:index", "jamlik.accounts.navigation.upward_national_link"),
        (
            _("Reporting to the national level"),
            "upward:index",
            "jamlik.accounts.navigation.upward_county_link",
        ),
        (_("National picture"), "national:hub", "jamlik.accounts.navigation.national_picture_link"),
        (
            _("County report"),
            "reports:county-report-home",
            "jamlik.accounts.navigation.county_report_link",
        ),
    ]
