from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "jamlik.surveys"
    label = "surveys"
    verbose_name = _("Youth survey")
    default_auto_field = "django.db.models.BigAutoField"
    demo_seed = "jamlik.surveys.demo.seed"
    # After the indicators' demo (20), which creates the districts the demo file names.
    demo_order = 25
    nav_items = [(_("Youth survey"), "surveys:index", "jamlik.accounts.navigation.survey_link")]
    area_sections = "jamlik.surveys.sections.area_sections"
