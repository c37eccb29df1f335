from django.contrib import admin

from jamlik.prevention.models import IndicatorTarget, Intervention, Plan, PlanStep


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 0
    fields = ["number", "key", "status", "start", "due"]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "status", "start", "is_demo"]
    list_filter = ["status", "is_demo"]
    inlines = [PlanStepInline, TargetInline]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "evidence", "cost_level"]
    list_filter = ["evidence", "cost_level"]


# ---- the dialogue on plan steps (issue 18) ---------------------------------------------

from jamlik.prevention.models import StepComment  # noqa: E402


@admin.register(StepComment)
class StepCommentAdmin(admin.ModelAdmin):
    list_display = ["step", "author_name", "author_org", "is_agreement", "created_at", "is_demo"]
    list_filter = ["is_agreement", "is_demo"]
    search_fields = ["text", "author_name", "author_org", "step__plan__title"]
    raw_id_fields = ["step", "parent", "author"]
    readonly_fields = ["created_at"]
