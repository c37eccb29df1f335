from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jamlik.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    demo_seed = "jamlik.accounts.demo.seed"
    demo_order = 0

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from jamlik.accounts.sessions import mark_login

        user_logged_in.connect(mark_login, dispatch_uid="jamlik.accounts.sessions.mark_login")
