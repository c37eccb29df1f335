from django.contrib import admin

from jamlik.economics.models import Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "published", "is_demo", "updated_at")
    list_filter = ("published", "is_demo")
    search_fields = ("name", "area__name", "area__code")
