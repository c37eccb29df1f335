from django.contrib import admin

from jamlik.support.models import (
    Agreement,
    Commitment,
    FollowUpMeeting,
    NeedComponentSetting,
    Participation,
    SupportActivity,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0


@admin.register(SupportActivity)
class SupportActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "title", "county", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["title", "theme"]
    inlines = [ParticipationInline]


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
