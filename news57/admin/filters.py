"""Wagtail's page listings (explorer, search, page type usage, forms) filter by site: offer only the user's sites.

Wagtail's filter lists every site by name, so each agency would read the names
of three thousand others' sites, and could pick them. Every page listing's
filter set inherits this one filter, so narrowing its choices narrows them all.
"""

from wagtail.admin.views.pages.listing import PageFilterSet

from ..access import visible_sites


def _sites_of(request):
    return visible_sites(request.user) if request is not None else visible_sites(None)


def narrow_the_site_filter():
    PageFilterSet.base_filters["site"].queryset = _sites_of
