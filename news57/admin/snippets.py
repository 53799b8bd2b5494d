"""Topics and agencies, edited as Wagtail snippets."""

from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Agency, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "site"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "short_name", "level", "parent", "site"]
    list_filter = ["level"]
    search_fields = ["name", "short_name"]
