"""Feed autodiscovery: the <link rel="alternate"> tags naming the current site's section feeds."""

from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

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
