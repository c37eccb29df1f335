from django.contrib import admin

from jamlik.prerequisites import models


class ItemInline(admin.TabularInline):
    model = models.Item
    extra = 0
    fields = ("order", "key", "kind", "prerequisite", "weight")


@admin.register(models.Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("title_sv", "version", "county", "is_demo")
    inlines = [ItemInline]


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("county", "year", "is_open", "published", "is_demo")


@admin.register(models.Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("round", "municipality", "status", "submitted_at", "is_demo")
    list_filter = ("status", "round__year")


@admin.register(models.InterviewTheme)
class InterviewThemeAdmin(admin.ModelAdmin):
    list_display = ("name_sv", "parent", "county")


@admin.register(models.InterviewExcerpt)
class InterviewExcerptAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year", "theme", "respondent_role")


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year", "title", "status", "file_type")
    exclude = ("analysis",)


admin.site.register(models.DocumentTheme)
admin.site.register(models.GroupAssignment)
