"""Small helpers for the public templates: the site's section, card images, page ranges."""

from django import template

from ..models import SectionPage

register = template.Library()


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
    return SectionPage.objects.live().descendant_of(site.root_page).first()


@register.filter
def card_image(item):
    """The picture that stands for an article, infographic or video in a listing."""
    for name in ("hero_image", "poster", "first_image"):
        image = getattr(item, name, None)
        if image is not None:
            return image
    return None


@register.filter
def kind_of(item):
    """'articles', 'infographics' or 'videos': the listing an item belongs to."""
    return {"articlepage": "articles", "infographicpage": "infographics", "videopage": "videos"}.get(
        type(item).__name__.lower(), ""
    )


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
