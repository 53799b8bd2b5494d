"""The filters a reader narrows a listing with: topic and year for news, infographics and videos; type,
issuing agency, topic and year for directive documents.

Each filter offers only the values the list holds, each with how many items it would leave given the
reader's other choices (one grouped query per filter, however long the list). A value the list does not
hold is ignored, as if it had not been given. The query parameters are the listing's stable addresses:
`?chu-de=chuyen-doi-so&nam=2025`.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from .. import vietnam_time
from ..text import fold
from .documents import DocumentType

TOPIC, YEAR, TYPE, ISSUER = "chu-de", "nam", "loai", "co-quan"
# The news feed narrowed to one kind of item (?muc=), named as that kind's listing is in the section's paths.
KIND = "muc"
KIND_VALUES = {"articles": "tin-tuc", "infographics": "infographic", "videos": "video"}
# Longer than any slug or type the platform makes: a longer value cannot be held, and is not sent to the database.
MAX_VALUE_LENGTH = 100


@dataclass(frozen=True)
class Facet:
    name: str  # its query parameter
    label: object
    everything: object  # the choice that leaves the list whole
    lookup: str  # what the list is narrowed by
    label_lookup: str | None = None  # what names a value, when the value itself does not
    newest_first: bool = False

    def values(self, queryset):
        """[(value, name, count)] of what the queryset holds, in the order a reader looks for them."""
        fields = [self.lookup] + ([self.label_lookup] if self.label_lookup else [])
        rows = queryset.order_by().values_list(*fields).annotate(count=Count("pk", distinct=True))
        found = [(row[0], self.name_of(row), row[-1]) for row in rows if row[0] not in (None, "")]
        if self.newest_first:
            return sorted(found, key=lambda row: row[0], reverse=True)
        return sorted(found, key=lambda row: fold(str(row[1])))

    def name_of(self, row):
        if self.label_lookup:
            return row[1]
        if self.name == TYPE:
            return DocumentType(row[0]).label if row[0] in DocumentType.values else row[0]
        return str(row[0])

    def narrow(self, queryset, value):
        return queryset.filter(**{self.lookup: value})


def item_facets():
    return (
        Facet(TOPIC, _("Topic"), _("All topics"), "topics__slug", "topics__name"),
        Facet(YEAR, _("Year"), _("All years"), "year", newest_first=True),
    )


def document_facets():
    return (
        Facet(TYPE, _("Document type"), _("All types"), "document__doc_type"),
        Facet(ISSUER, _("Issuing agency"), _("All agencies"), "document__issuer__slug", "document__issuer__name"),
        Facet(TOPIC, _("Topic"), _("All topics"), "document__topics__slug", "document__topics__name"),
        Facet(YEAR, _("Year"), _("All years"), "document__year", newest_first=True),
    )


def with_year(items):
    """News, infographics or videos with the Vietnam year of their date, which the year filter reads."""
    return items.annotate(year=ExtractYear("date", tzinfo=vietnam_time.zone()))


def raw_choices(data, facets):
    """The values given for the facets, as text; a year that is not a number is no year, and a value with a
    control character (PostgreSQL refuses a NUL in a query) or longer than any held is no value."""
    chosen = {}
    for facet in facets:
        value = data.get(facet.name, "")
        value = value.strip() if isinstance(value, str) else ""
        if not value.isprintable() or len(value) > MAX_VALUE_LENGTH:
            value = ""
        if facet.name == YEAR:
            value = int(value) if value.isdigit() and len(value) == 4 else ""
        if value != "":
            chosen[facet.name] = value
    return chosen


def narrowed(queryset, facets, chosen, leave_out=None):
    for facet in facets:
        if facet.name in chosen and facet.name != leave_out:
            queryset = facet.narrow(queryset, chosen[facet.name])
    return queryset


class FacetForm(forms.Form):
    """A listing's filters as select boxes whose choices carry their counts."""

    def __init__(self, data, queryset, facets):
        super().__init__(data, label_suffix="")
        self.facets = facets
        chosen = raw_choices(data, facets)
        offered = self._offered(queryset, chosen)
        unheld = {name for name, value in chosen.items() if value not in {v for v, _n, _c in offered[name]}}
        if unheld:
            # A value the list does not hold narrows nothing: counted again without it.
            chosen = {name: value for name, value in chosen.items() if name not in unheld}
            offered = self._offered(queryset, chosen)
        self.choices = chosen
        for facet in facets:
            choices = [("", facet.everything)] + [(str(v), f"{name} ({count})") for v, name, count in offered[facet.name]]
            self.fields[facet.name] = forms.ChoiceField(label=facet.label, required=False, choices=choices)

    def _offered(self, queryset, chosen):
        return {facet.name: facet.values(narrowed(queryset, self.facets, chosen, leave_out=facet.name)) for facet in self.facets}

    @property
    def chosen(self):
        """The filters given with a value the list holds, in field order."""
        return dict(self.choices)

    def narrow(self, queryset):
        return narrowed(queryset, self.facets, self.choices)
