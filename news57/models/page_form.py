import json

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.coreutils import get_js_regex

from ..text import slugify


def slug_formatters():
    # Wagtail's slug helper in the browser maps "đ" to "dj" (the Serbian rule);
    # replacing it first keeps the live slug the same as the one stored.
    return json.dumps([[get_js_regex("đ"), "d"], [get_js_regex("Đ"), "D"]], separators=(",", ":"))


class PageForm(WagtailAdminPageForm):
    """The admin form of every news57 page: slugs are ASCII, folded from Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.widget.attrs["data-w-slug-formatters-value"] = slug_formatters()
            # Left empty (no JavaScript), the page folds its title into the slug.
            slug.required = False

    def clean_slug(self):
        # A slug typed with diacritics is folded rather than refused.
        return slugify(self.cleaned_data.get("slug") or "")
