from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_interventions(sender: AppConfig, **kwargs: object) -> None:
    """Keep the shipped starting set of interventions in the database after every migrate."""
    from jamlik.prevention.services import install_shipped_interventions

    install_shipped_interventions()


class PreventionConfig(AppConfig):
    name = "jamlik.prevention"
    label = "prevention"
    verbose_name = _("Plans and prevention")
    demo_seed = "jamlik.prevention.demo.seed"
    demo_order = 75
    demo_extra = [
        (76, "jamlik.prevention.demo_sharing.seed"),
        (77, "jamlik.prevention.demo_dialogue.seed"),
    ]
    nav_items = [(_("Prevention"), "prevention:star")]
    area_sections = "jamlik.prevention.sections.area_sections"

    def ready(self) -> None:
        post_migrate.connect(
            _install_interventions, sender=self, dispatch_uid="prevention-interventions"
        )
