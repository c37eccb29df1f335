from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "jamlik.reports"
    label = "reports"
    verbose_name = _("Reports")
    demo_seed = "jamlik.reports.demo.seed"
    demo_order = 95  # after every app whose records the demo county releases
    nav_items = [
        (_("National picture"), "national:hub", "jamlik.accounts.navigation.national_picture_link")
    ]
    demo_seed = "jamlik.reports.demo_upward.seed"
    demo_order = 90
    nav_items = [
        (_("Reporting upward"), "upward:index", "jamlik.accounts.navigation.upward_national_link"),
        (
            _("Reporting to the national level"),
            "upward:index",
            "jamlik.accounts.navigation.upward_county_link",
        ),
    ]
