from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "jamlik.support"
    label = "support"
    verbose_name = _("Support ladder")
    demo_seed = "jamlik.support.demo.seed"
    demo_order = 70
    demo_extra = [
        (71, "jamlik.support.demo_joint.seed"),
        (72, "jamlik.support.demo_followup.seed"),
        (73, "jamlik.support.demo_toolbox.seed"),
    ]
    nav_items = [(_("Support"), "support:ladder", "jamlik.accounts.navigation.support_link")]
    area_sections = "jamlik.support.sections.area_sections"
