"""Every admin screen and hook, registered with Wagtail in this one place."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

# access first: it registers the documents' and publications' permission policies before any view asks for one.
from . import access  # noqa: F401  # isort: skip
from .admin import choosers, documents, editor, queue, snippets, sources, subscriptions, supervision
from .models.pages import SERVE_FEED_HOOK
from .public import feeds
from .republishing import actions

register_snippet(snippets.TopicViewSet)
register_snippet(snippets.AgencyViewSet)
register_snippet(documents.DocumentViewSet)
hooks.register("register_admin_viewset", documents.PublicationViewSet)

hooks.register("register_admin_viewset", sources.SourceViewSet)
hooks.register("register_admin_viewset", subscriptions.SubscriptionViewSet)
hooks.register("register_admin_viewset", subscriptions.DeadlineRuleViewSet)
hooks.register("register_admin_urls", lambda: queue.urlpatterns)
hooks.register("register_admin_menu_item", queue.menu_item)

hooks.register("construct_page_chooser_queryset", choosers.restrict_page_chooser)
# After Wagtail's own images and documents apps have registered their endpoints.
hooks.register("construct_admin_api", choosers.restrict_admin_api, order=100)
hooks.register("register_admin_urls", lambda: supervision.urlpatterns)
hooks.register("register_admin_menu_item", supervision.menu_item)
hooks.register("insert_global_admin_js", editor.vietnamese_slug_script)

hooks.register(SERVE_FEED_HOOK, feeds.serve_feed)


@hooks.register("register_log_actions")
def register_publication_actions(log_actions):
    log_actions.register_action(actions.PUBLISH, _("Publish on a site"), _("Published on a site"))
    log_actions.register_action(actions.DECLINE, _("Decline for a site"), _("Declined for a site"))
    log_actions.register_action(actions.WITHDRAW, _("Withdraw from a site"), _("Withdrawn from a site"))
