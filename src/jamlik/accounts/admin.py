from django.contrib import admin

from jamlik.accounts.models import Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "area")
    list_filter = ("kind",)
    autocomplete_fields = ("area",)
    search_fields = ("user__username", "area__name", "area__code")
