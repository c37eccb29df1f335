from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jamlik.accounts import throttle
from jamlik.accounts.models import ApiToken, LoginThrottle, Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "area", "actor")
    list_filter = ("kind",)
    autocomplete_fields = ("area", "actor")
    search_fields = ("user__username", "area__name", "area__code")


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Who has failed to log in, and the unlock action (same as `jamlik manage unlock`)."""

    list_display = ("username", "failures", "locked_until", "last_attempt_at")
    search_fields = ("username",)
    readonly_fields = ("username", "failures", "locked_until", "last_attempt_at")
    actions = ["unlock"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    @admin.action(description=_("Unlock the selected user names"))
    def unlock(self, request, queryset) -> None:  # noqa: ANN001
        count = sum(throttle.unlock(row.username) for row in queryset)
        self.message_user(
            request,
            ngettext("%(n)d user name unlocked.", "%(n)d user names unlocked.", count)
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")
    exclude = ("digest",)

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False  # created by their owner on the account page, where the secret is shown
