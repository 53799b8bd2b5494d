from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

# documents_admin first: it registers the documents' permission policies before any view asks for one.
from . import documents_admin  # isort: skip
from . import editor, isolation, publications, queue_admin, sources_admin, subscriptions_admin, supervision  # noqa: F401
from .models import Agency, Topic


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


register_snippet(TopicViewSet)
register_snippet(AgencyViewSet)
register_snippet(documents_admin.DocumentViewSet)
hooks.register("register_admin_viewset", documents_admin.PublicationViewSet)

hooks.register("register_admin_viewset", sources_admin.SourceViewSet)
hooks.register("register_admin_viewset", subscriptions_admin.SubscriptionViewSet)
hooks.register("register_admin_viewset", subscriptions_admin.DeadlineRuleViewSet)
hooks.register("register_admin_urls", lambda: queue_admin.urlpatterns)
hooks.register("register_admin_menu_item", queue_admin.menu_item)

hooks.register("construct_page_chooser_queryset", isolation.restrict_page_chooser)
# After Wagtail's own images and documents apps have registered their endpoints.
hooks.register("construct_admin_api", isolation.restrict_admin_api, order=100)
hooks.register("register_admin_urls", lambda: supervision.urlpatterns)
hooks.register("register_admin_menu_item", supervision.menu_item)


@hooks.register("register_log_actions")
def register_publication_actions(actions):
    actions.register_action(publications.PUBLISH, _("Publish on a site"), _("Published on a site"))
    actions.register_action(publications.DECLINE, _("Decline for a site"), _("Declined for a site"))
    actions.register_action(publications.WITHDRAW, _("Withdraw from a site"), _("Withdrawn from a site"))
