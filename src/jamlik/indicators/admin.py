from django.contrib import admin

from jamlik.indicators.models import ImportRun, Indicator, Observation


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_sv", "value_type", "polarity", "source")
    list_filter = ("value_type", "polarity", "is_survey")
    search_fields = ("code", "name_sv", "name_en")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "kind",
        "actor",
        "rows",
        "created",
        "updated",
        "is_demo",
        "published",
    )
    list_filter = ("kind", "is_demo", "published")
    # Publishing goes through the county page, which checks the county administrator.
    readonly_fields = ("started_at", "published", "published_at", "published_by")


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("indicator", "area", "period", "breakdown", "category", "value", "is_demo")
    list_filter = ("breakdown", "is_demo")
    search_fields = ("indicator__code", "area__code", "area__name")
    raw_id_fields = ("indicator", "area", "import_run")
    list_select_related = ("indicator", "area")
