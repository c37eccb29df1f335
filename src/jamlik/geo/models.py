"""Areas: riket, län, kommuner and the districts an administrator adds under a kommun."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT = "district", _("District")


class DistrictKind(models.TextChoices):
    """What a district is: the kommun's own stadsdelar or SCB's statistical areas."""

    STADSDEL = "stadsdel", _("Stadsdel (the municipality's own division)")
    DESO = "deso", _("DeSO (SCB demographic statistical area)")
    REGSO = "regso", _("RegSO (SCB regional statistical area)")
    OTHER = "other", _("Other division")


class AreaQuerySet(models.QuerySet["Area"]):
    def counties(self) -> AreaQuerySet:
        return self.filter(level=AreaLevel.COUNTY).order_by("code")

    def municipalities(self, county_code: str | None = None) -> AreaQuerySet:
        qs = self.filter(level=AreaLevel.MUNICIPALITY)
        if county_code:
            qs = qs.filter(parent__code=county_code)
        return qs.order_by("code")

    def districts(self, municipality_code: str | None = None) -> AreaQuerySet:
        qs = self.filter(level=AreaLevel.DISTRICT)
        if municipality_code:
            qs = qs.filter(parent__code=municipality_code)
        return qs.order_by("name")

    def country(self) -> Area:
        return self.get(level=AreaLevel.COUNTRY)


class Area(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    tile_x = models.PositiveSmallIntegerField(_("tile column"), null=True, blank=True)
    tile_y = models.PositiveSmallIntegerField(_("tile row"), null=True, blank=True)
    lat = models.FloatField(_("latitude of centroid"), null=True, blank=True)
    lon = models.FloatField(_("longitude of centroid"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    #: For districts: what kind of division the code belongs to.
    district_kind = models.CharField(
        _("kind of district"), max_length=8, choices=DistrictKind.choices, blank=True
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def county(self) -> Area | None:
        """The län this area belongs to (itself for a län)."""
        area: Area | None = self
        while area is not None and area.level not in (AreaLevel.COUNTY, AreaLevel.COUNTRY):
            area = area.parent
        return area if area is not None and area.level == AreaLevel.COUNTY else None

    @property
    def municipality(self) -> Area | None:
        """The kommun this area is or lies in."""
        if self.level == AreaLevel.MUNICIPALITY:
            return self
        if self.level == AreaLevel.DISTRICT:
            return self.parent
        return None

    def ancestors(self) -> list[Area]:
        chain: list[Area] = []
        area = self.parent
        while area is not None:
            chain.insert(0, area)
            area = area.parent
        return chain
