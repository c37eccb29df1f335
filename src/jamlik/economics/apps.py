from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomicsConfig(AppConfig):
    name = "jamlik.economics"
    label = "economics"
    verbose_name = _("Socioeconomic analysis")
    nav_items = [(_("Socioeconomics"), "economics:index")]
    area_sections = "jamlik.economics.sections.area_sections"
    demo_seed = "jamlik.economics.demo.seed"
    demo_order = 80
