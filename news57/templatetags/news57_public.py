"""Small helpers for the public templates: the site's section, card images, page ranges, fragment caching."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import pgettext_lazy

from .. import content
from ..models import SectionPage
from ..models.pages import descendants_of

register = template.Library()

FRAGMENT_SECONDS = 24 * 3600


@register.simple_tag(takes_context=True)
def site_section(context):
    """The live Resolution 57 section of the site that answered, for the navigation."""
    section = context.get("section")
    if isinstance(section, SectionPage):
        return section
    page = context.get("page")
    if isinstance(page, SectionPage):
        return page
    site = context.get("current_site")
    if site is None:
        return None
    return SectionPage.objects.live().filter(descendants_of(site.root_page)).first()


@register.filter
def card_image(item):
    """The picture that stands for an article, infographic or video in a listing."""
    if hasattr(item, "card_picture"):
        return item.card_picture
    for name in ("hero_image", "poster", "first_image"):
        image = getattr(item, name, None)
        if image is not None:
            return image
    return None


@register.simple_tag(takes_context=True)
def content_version(context):
    """The current site's content version, for the key of a cached fragment: any change there makes a new one."""
    site = context.get("current_site")
    if site is None:
        return "none"
    return content.request_version(context.get("request"), site.pk)


@register.simple_tag(takes_context=True)
def nav_place(context):
    """Which item of the site's navigation is the current page: "home", "section", a kind of list, or "".

    The header is cached once per site and place, not once per page.
    """
    page, kind = context.get("page"), context.get("kind")
    site = context.get("current_site")
    if page is None:
        return ""
    if site is not None and page.pk == site.root_page_id:
        return "home"
    if kind:
        return kind
    return "section" if isinstance(page, SectionPage) else ""


@register.simple_tag(takes_context=True)
def fragment_seconds(context):
    """How long a cached fragment may live: a day (a change makes a new key before then); a preview, never."""
    request = context.get("request")
    return 0 if getattr(request, "is_preview", False) else FRAGMENT_SECONDS


@register.filter
def ancestors_below(page, root):
    """The breadcrumb's pages between the site's home and `page`."""
    if root is None:
        return []
    return page.ancestors_below(root)


# The listing each kind of item belongs to, by its model's name.
KINDS = {"articlepage": "articles", "infographicpage": "infographics", "videopage": "videos"}
# What each listing is called: its heading, its breadcrumb, a card's kind.
KIND_NAMES = {
    "articles": pgettext_lazy("public site", "News"),
    "infographics": pgettext_lazy("public site", "Infographics"),
    "videos": pgettext_lazy("public site", "Videos"),
}


@register.filter
def kind_of(item):
    """'articles', 'infographics' or 'videos': the listing an item belongs to."""
    return KINDS.get(type(item).__name__.lower(), "")


@register.filter
def kind_name(kind):
    """What the listing of this kind is called ('' for another kind)."""
    return KIND_NAMES.get(kind, "")


@register.simple_tag
def time_of(value):
    """<time> of a moment in Vietnam time, written the Vietnamese way (23/11/2026 14:05), or of a day (23/11/2026)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.strftime("%d/%m/%Y %H:%M"))
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.strftime("%d/%m/%Y"))


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current one, with Paginator.ELLIPSIS where pages are left out."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1))


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The address of listing page `number`, keeping the reader's filters; page 1 has no `trang`."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("trang", None)
    if number != 1:
        query["trang"] = number
    return f"?{query.urlencode()}" if query else request.path
