"""The domain vocabulary of the actor map, as enums (stored values are stable English keys).

The categories follow what the aktörskarta must answer — "vem gör vad för vilka?": which
kind of organisation, at which level, for which target group, in which setting, at which
prevention level. Målområden and prevention-star problem areas are not enums here: they
come from :mod:`jamlik.frameworks` (a county may override them) and are stored by key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorType(models.TextChoices):
    """Sector of an actor; "brokers between sectors" in the network view use this."""

    MUNICIPAL = "municipal", _("Municipal administration")
    REGION = "region", _("Region")
    COUNTY_BOARD = "county_board", _("County administrative board")
    COUNTY_BOARD_UNIT = "county_board_unit", _("Unit within the county administrative board")
    STATE_AGENCY = "state_agency", _("State agency")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    BUSINESS = "business", _("Business")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other")


class ActorLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class Orientation(models.TextChoices):
    """Health promotion (strengthening what protects) or prevention (reducing a risk)."""

    PROMOTION = "promotion", _("Health promotion")
    PREVENTION = "prevention", _("Prevention")
    BOTH = "both", _("Promotion and prevention")


class PreventionLevel(models.TextChoices):
    """Universal, selective or indicated prevention (Gordon 1983; IOM 1994)."""

    UNIVERSAL = "universal", _("Universal")
    SELECTIVE = "selective", _("Selective")
    INDICATED = "indicated", _("Indicated")


class TargetGroup(models.TextChoices):
    """Groups an activity is meant for (besides its age span)."""

    CHILDREN = "children", _("Children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    PARENTS = "parents", _("Parents")
    ADULTS = "adults", _("Adults")
    OLDER_PEOPLE = "older_people", _("Older people")
    NEWLY_ARRIVED = "newly_arrived", _("Newly arrived")
    NEET = "neet", _("Young people not in work or school")
    DISABILITY = "disability", _("People with disabilities")
    PROFESSIONALS = "professionals", _("Professionals")
    WHOLE_POPULATION = "population", _("Whole population")


class Setting(models.TextChoices):
    """Arena where an activity takes place."""

    PRESCHOOL = "preschool", _("Preschool")
    SCHOOL = "school", _("School")
    LEISURE = "leisure", _("Leisure")
    FAMILY = "family", _("Family")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    WORKPLACE = "workplace", _("Workplace")
    HEALTH_CARE = "health_care", _("Health care")


class Evidence(models.TextChoices):
    """How well the method or programme used is supported by evaluation."""

    ESTABLISHED = "established", _("Evaluated with positive effects")
    PROMISING = "promising", _("Promising, evaluation under way")
    NOT_EVALUATED = "not_evaluated", _("Not evaluated")
    UNKNOWN = "unknown", _("Unknown")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    PAUSED = "paused", _("Paused")


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    TWICE_YEARLY = "twice_yearly", _("Twice a year")
    YEARLY = "yearly", _("Yearly")
    AS_NEEDED = "as_needed", _("As needed")


class RelationKind(models.TextChoices):
    """How two parties of the map are linked; convenes and member-of point at a network."""

    COLLABORATES = "collaborates", _("collaborates with")
    FUNDS = "funds", _("funds")
    CONVENES = "convenes", _("convenes")
    MEMBER_OF = "member_of", _("member of")


class TagDimension(models.TextChoices):
    """The multi-valued attributes of an activity, stored as rows so they can be counted in SQL."""

    TARGET_AREA = "malomrade", _("Target area (målområde)")
    PROBLEM_AREA = "problem_area", _("Problem area")
    TARGET_GROUP = "target_group", _("Target group")
    SETTING = "setting", _("Setting")


class ChangeAction(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    DELETED = "deleted", _("deleted")
    IMPORTED = "imported", _("imported")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MergeStatus(models.TextChoices):
    """A possible duplicate across counties waiting for (or given) a human decision."""

    PENDING = "pending", _("Waiting for review")
    MERGED = "merged", _("Merged")
    KEPT_APART = "kept_apart", _("Kept apart")


class MatchMethod(models.TextChoices):
    ORG_NUMBER = "org_number", _("Same organisation number")
    NAME = "name", _("Similar name")
    REVIEWED = "reviewed", _("Confirmed by a reviewer")
