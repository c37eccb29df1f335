from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "jamlik.indicators"
    label = "indicators"
    verbose_name = _("Situation picture")
    demo_seed = "jamlik.indicators.demo.seed"
    demo_order = 20
    area_sections = "jamlik.indicators.sections.area_sections"
    nav_items = [
        (_("Situation picture"), "indicators:index"),
        (
            _("Own indicators"),
            "indicators:own-home",
            "jamlik.accounts.navigation.own_indicators_link",
        ),
        (_("Data entry"), "indicators:entry", "jamlik.accounts.navigation.entry_link"),
        (
            _("Completeness"),
            "indicators:entry",
            "jamlik.accounts.navigation.completeness_link",
        ),
    ]
