"""What the page editor adds to Wagtail's admin screens."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def vietnamese_slug_script():
    return format_html('<script src="{}"></script>', static("news57/admin/slug.js"))
