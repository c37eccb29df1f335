from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "jamlik.actors"
    label = "actors"
    verbose_name = _("Actor map")
    demo_seed = "jamlik.actors.demo.seed"
    demo_order = 30
    nav_items = [(_("Actor map"), "actors:directory")]
    area_sections = "jamlik.actors.sections.area_sections"
