"""Feed autodiscovery: the <link rel="alternate"> tags naming the current site's section feeds."""

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from ..models.facets import KIND, KIND_VALUES
from .news57_public import site_section

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context):
    """Links to the site's document and news feeds, RSS first; nothing when the site has no section."""
    request = context.get("request")
    section = site_section(context) if request is not None else None
    parts = section.get_url_parts(request) if section is not None else None
    if not parts:
        return ""
    # The section is the current site's own, so a path is enough (and loads nothing from another host).
    _site_id, _root, base = parts
    feeds = [
        ("application/rss+xml", _("Directive documents (RSS)"), "documents_rss"),
        ("application/atom+xml", _("Directive documents (Atom)"), "documents_atom"),
        ("application/rss+xml", _("News (RSS)"), "news_rss"),
        ("application/atom+xml", _("News (Atom)"), "news_atom"),
    ]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((kind, title, base + section.reverse_subpage(name)) for kind, title, name in feeds),
    )


@register.simple_tag(takes_context=True)
def filtered_feed_url(context, form, kind):
    """The RSS feed of a listing as the reader filtered it: the documents' feed, or the news feed narrowed
    to the listing's kind, each with the same filters."""
    page, request = context["page"], context["request"]
    query = [(name, str(value)) for name, value in form.chosen.items()]
    if kind == "documents":
        route = "documents_rss"
    else:
        route, query = "news_rss", [(KIND, KIND_VALUES[kind])] + query
    return page.get_url(request) + page.reverse_subpage(route) + ("?" + urlencode(query) if query else "")
