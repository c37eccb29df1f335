"""Django admin for the actor map (for national administrators; editors use the pages)."""

from django.contrib import admin

from jamlik.actors.models import (
    Activity,
    Actor,
    ActorRelation,
    ChangeLogEntry,
    CountyPackage,
    InventoryRound,
    MergeCandidate,
    Network,
)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("name", "org_number", "actor_type", "level", "area", "county", "is_demo")
    list_filter = ("actor_type", "level", "county", "is_demo")
    search_fields = ("name", "org_number", "ref")
    raw_id_fields = ("canonical", "area", "source_package")
    filter_horizontal = ("areas_served",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "area", "status", "orientation", "prevention_level", "is_demo")
    list_filter = ("status", "orientation", "prevention_level", "county", "is_demo")
    search_fields = ("title", "ref", "method")
    raw_id_fields = ("area", "source_package")
    filter_horizontal = ("actors", "districts")


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "convenor", "meeting_frequency", "county", "is_demo")
    search_fields = ("name",)
    filter_horizontal = ("members",)


admin.site.register(ActorRelation)
admin.site.register(CountyPackage)
admin.site.register(InventoryRound)
admin.site.register(ChangeLogEntry)
admin.site.register(MergeCandidate)
