from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrerequisitesConfig(AppConfig):
    name = "jamlik.prerequisites"
    label = "prerequisites"
    verbose_name = _("Prerequisites")
    demo_seed = "jamlik.prerequisites.demo.seed"
    demo_order = 40
    nav_items = [(_("Prerequisites"), "prerequisites:index")]
    area_sections = "jamlik.prerequisites.sections.area_sections"
