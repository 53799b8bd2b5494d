"""What the page editor adds to Wagtail's admin screens."""

from django.templatetags.static import static
from django.utils.html import format_html


def vietnamese_slug_script():
    """The browser's slug helper, folding Vietnamese the way the server does (news57/admin/static/)."""
    return format_html('<script src="{}"></script>', static("news57/admin/slug.js"))
