from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jamlik.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    demo_seed = "jamlik.accounts.demo.seed"
    demo_order = 0
