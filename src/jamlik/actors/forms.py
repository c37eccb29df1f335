"""Forms for editing the map; choices are limited to what the user may touch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.accounts.services import areas_user_can_edit, counties_user_administers
from jamlik.actors import vocab
from jamlik.actors.choices import ActorType, RelationKind, Setting, TagDimension, TargetGroup
from jamlik.actors.models import Activity, Actor, Network
from jamlik.actors.units import part_of_problem, reaches
from jamlik.core.number_fields import number_formfield
from jamlik.core.version_forms import VersionedForm
from jamlik.geo.models import Area, AreaLevel


def editable_areas(user: Any, county: Area | None = None) -> list[Area]:
    """Kommuner the user may edit, plus the län they administer (for county-wide records)."""
    areas = list(counties_user_administers(user)) + list(areas_user_can_edit(user))
    if county is not None:
        areas = [a for a in areas if a.pk == county.pk or a.parent_id == county.pk]
    return areas


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.code})"


class ActorForm(VersionedForm, forms.ModelForm):
    area = AreaChoiceField(queryset=Area.objects.none(), label=_("Responsible kommun or län"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Actor
        formfield_callback = number_formfield
        fields = [
            "name",
            "org_number",
            "actor_type",
            "level",
            "area",
            "areas_served",
            "contact",
            "website",
            "part_of",
        ]
        widgets = {"areas_served": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editable = editable_areas(user)
        ids = [a.pk for a in editable]
        self.fields["area"].queryset = Area.objects.filter(pk__in=ids).order_by("code")
        self.fields["areas_served"].queryset = Area.objects.filter(
            level__in=[AreaLevel.COUNTY, AreaLevel.MUNICIPALITY]
        ).order_by("code")
        self.fields["actor_type"].choices = ActorType.choices
        # Organisations of the counties the user works in; clean() keeps it to the actor's.
        counties = {a.pk if a.level == AreaLevel.COUNTY else a.parent_id for a in editable}
        if self.instance.county_id:
            counties.add(self.instance.county_id)
        self.fields["part_of"].queryset = (
            Actor.objects.filter(county_id__in=counties)
            .exclude(pk=self.instance.pk)
            .order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        area, parent = data.get("area"), data.get("part_of")
        actor_type = data.get("actor_type")
        if area is None or not actor_type:
            return data
        county_id = area.pk if area.level == AreaLevel.COUNTY else area.parent_id
        cycle = False
        if parent is not None and self.instance.pk:
            parents = dict(
                Actor.objects.filter(county_id=county_id).values_list("pk", "part_of_id")
            )
            cycle = reaches(parent.pk, parents, self.instance.pk)
        problem = part_of_problem(
            actor_type=actor_type,
            parent_type=parent.actor_type if parent else None,
            same_county=parent is None or parent.county_id == county_id,
            is_self=parent is not None and parent.pk == self.instance.pk,
            cycle=cycle,
        )
        if problem:
            self.add_error("part_of", problem)
        return data


def registry_choice_field(county: Area, activity: Activity) -> forms.ChoiceField:
    """The registry intervention an activity delivers: a select of the county's registry
    (its own copies replace shipped entries with the same key). A stored key the registry
    no longer holds stays choosable, so editing the activity does not drop it."""
    from jamlik.prevention.services import interventions_for

    choices = [("", "—"), *((i.key, i.name) for i in interventions_for(county))]
    stored = activity.intervention_key if activity.pk else ""
    if stored and stored not in {k for k, _n in choices}:
        choices.append((stored, stored))
    return forms.ChoiceField(
        label=_("Intervention in the registry"),
        choices=choices,
        required=False,
        help_text=_(
            "The registry programme this activity delivers, if any; the method above stays "
            "free text."
        ),
    )


class ActivityForm(VersionedForm, forms.ModelForm):
    area = AreaChoiceField(
        queryset=Area.objects.none(), label=_("Where (kommun, or län for county-wide)")
    )
    malomraden = forms.MultipleChoiceField(
        label=_("Target areas (målområden)"), widget=forms.CheckboxSelectMultiple
    )
    problem_areas = forms.MultipleChoiceField(
        label=_("Problem areas (prevention star)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    settings = forms.MultipleChoiceField(
        label=_("Settings"),
        choices=Setting.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Activity
        formfield_callback = number_formfield
        fields = [
            "title",
            "description",
            "actors",
            "orientation",
            "prevention_level",
            "age_min",
            "age_max",
            "area",
            "districts",
            "start_year",
            "end_year",
            "funding",
            "method",
            "intervention_key",
            "evidence",
            "status",
        ]
        widgets = {
            "actors": forms.SelectMultiple(attrs={"size": 10}),
            "districts": forms.SelectMultiple(attrs={"size": 5}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    field_order = [
        "title",
        "description",
        "actors",
        "malomraden",
        "problem_areas",
        "orientation",
        "prevention_level",
        "target_groups",
        "age_min",
        "age_max",
        "settings",
        "area",
        "districts",
        "start_year",
        "end_year",
        "funding",
        "method",
        "intervention_key",
        "evidence",
        "status",
    ]

    def __init__(self, *args: Any, user: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention_key"] = registry_choice_field(county, self.instance)
        editable = editable_areas(user, county)
        self.fields["area"].queryset = Area.objects.filter(
            pk__in=[a.pk for a in editable]
        ).order_by("code")
        self.fields["actors"].queryset = Actor.objects.filter(county=county).order_by("name")
        self.county = county
        self.fields["districts"].queryset = self._district_choices(editable, county)
        self.fields["districts"].required = False
        self.fields["districts"].help_text = _(
            "Only districts in the activity's kommun; none for a county-wide activity."
        )
        self.fields["malomraden"].choices = [
            (t.key, t.name) for t in vocab.target_areas(county.code)
        ]
        self.fields["problem_areas"].choices = [
            (t.key, t.name) for t in vocab.problem_areas(county.code)
        ]
        if self.instance.pk:
            for name, dimension in self.TAG_FIELDS.items():
                self.initial[name] = self.instance.tag_keys(dimension)

    def _chosen_area(self) -> Area | None:
        """The kommun or län the activity is for: as submitted, else as stored or preset."""
        key = self.data.get(self.add_prefix("area")) if self.is_bound else None
        key = key or self.initial.get("area") or self.instance.area_id
        if isinstance(key, Area):
            return key
        try:
            return self.fields["area"].queryset.filter(pk=int(key)).first() if key else None
        except (TypeError, ValueError):
            return None

    def _district_choices(self, editable: list[Area], county: Area) -> Any:
        """Districts of the activity's kommun, else of the kommuner the user may edit.

        A district of another kommun (or county) is never offered, and :meth:`clean`
        refuses one that is submitted anyway.
        """
        districts = Area.objects.filter(level=AreaLevel.DISTRICT).order_by("parent__code", "name")
        area = self._chosen_area()
        if area is not None and area.level == AreaLevel.MUNICIPALITY:
            return districts.filter(parent=area)
        if any(a.pk == county.pk for a in editable):
            return districts.filter(parent__parent=county)
        return districts.filter(parent__in=[a.pk for a in editable])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        area, districts = data.get("area"), data.get("districts")
        if area is None or not districts:
            return data
        if area.level == AreaLevel.MUNICIPALITY:
            wrong = [d for d in districts if d.parent_id != area.pk]
        else:
            wrong = [d for d in districts if d.parent.parent_id != self.county.pk]
        if wrong:
            self.add_error(
                "districts",
                _("Not in %(area)s: %(districts)s. Choose districts of the activity's kommun.")
                % {"districts": ", ".join(d.name for d in wrong), "area": area.name},
            )
        return data

    TAG_FIELDS = {
        "malomraden": TagDimension.TARGET_AREA,
        "problem_areas": TagDimension.PROBLEM_AREA,
        "target_groups": TagDimension.TARGET_GROUP,
        "settings": TagDimension.SETTING,
    }

    def tags(self) -> dict[TagDimension, list[str]]:
        return {dim: self.cleaned_data.get(name) or [] for name, dim in self.TAG_FIELDS.items()}


class NetworkForm(VersionedForm, forms.ModelForm):
    area = AreaChoiceField(queryset=Area.objects.none(), label=_("Responsible kommun or län"))
    malomraden = forms.MultipleChoiceField(
        label=_("Target areas (målområden)"), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Network
        fields = [
            "name",
            "convenor",
            "members",
            "purpose",
            "meeting_frequency",
            "malomraden",
            "area",
        ]
        widgets = {
            "members": forms.SelectMultiple(attrs={"size": 10}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in editable_areas(user, county)]
        self.fields["area"].queryset = Area.objects.filter(pk__in=ids).order_by("code")
        actors = Actor.objects.filter(county=county).order_by("name")
        self.fields["convenor"].queryset = actors
        self.fields["members"].queryset = actors
        self.fields["members"].required = False
        self.fields["malomraden"].choices = [
            (t.key, t.name) for t in vocab.target_areas(county.code)
        ]
        if self.instance.pk:
            self.initial["malomraden"] = [str(n) for n in self.instance.malomraden]

    def clean_malomraden(self) -> list[int]:
        return sorted(int(n) for n in self.cleaned_data["malomraden"])


class RelationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Relation"),
        choices=[
            (RelationKind.COLLABORATES.value, RelationKind.COLLABORATES.label),
            (RelationKind.FUNDS.value, RelationKind.FUNDS.label),
        ],
    )
    target = forms.ModelChoiceField(queryset=Actor.objects.none(), label=_("Other actor"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Actor.objects.filter(county=actor.county).exclude(pk=actor.pk).order_by("name")
        )


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=120)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX, CSV or JSON)"))
    sheet = forms.ChoiceField(
        label=_("Sheet (for a CSV file)"),
        choices=[
            ("actors", "actors"),
            ("activities", "activities"),
            ("networks", "networks"),
            ("relations", "relations"),
        ],
        required=False,
    )


class PackageForm(forms.Form):
    file = forms.FileField(label=_("County package (JSON)"))
