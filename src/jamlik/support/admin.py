from django.contrib import admin

from jamlik.support.models import (
    ActivityOrganiser,
    Agreement,
    Commitment,
    Expert,
    FollowUpMeeting,
    NeedComponentSetting,
    Participation,
    SupportActivity,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0


class OrganiserInline(admin.TabularInline):
    model = ActivityOrganiser
    extra = 0
    autocomplete_fields = ["actor"]


@admin.register(SupportActivity)
class SupportActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "support_type", "title", "county", "is_demo"]
    list_filter = ["kind", "support_type", "is_demo"]
    search_fields = ["title", "theme"]
    filter_horizontal = ["experts"]
    inlines = [OrganiserInline, ParticipationInline]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "county", "email", "is_demo"]
    list_filter = ["county", "is_demo"]
    search_fields = ["name", "title", "email", "description"]
    raw_id_fields = ["organisation"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


class FollowUpInline(admin.TabularInline):
    model = FollowUpMeeting
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "start", "end", "status", "is_demo"]
    inlines = [CommitmentInline, FollowUpInline]


admin.site.register(NeedComponentSetting)

from jamlik.support.models import ToolboxItem  # noqa: E402 - appended with the toolbox (issue 18)


@admin.register(ToolboxItem)
class ToolboxItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "county", "publisher", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["title", "publisher", "description"]
