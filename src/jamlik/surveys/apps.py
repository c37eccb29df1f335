from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "jamlik.surveys"
    label = "surveys"
    verbose_name = _("Youth survey")
    default_auto_field = "django.db.models.BigAutoField"
