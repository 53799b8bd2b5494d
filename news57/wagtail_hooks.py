"""Every admin screen and hook, registered with Wagtail in this one place."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.utils.dateparse import parse_datetime
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

# access first: it registers the documents' and publications' permission policies before any view asks for one.
from . import access  # noqa: F401  # isort: skip
from .admin import report_deadlines  # isort: skip
from .admin import (
    avatars,
    bulk_actions,
    choosers,
    compliance,
    deadlines,
    filters,
    guards,
    documents,
    editor,
    inbox,
    queue,
    reports,
    snippets,
    sources,
    subscriptions,
    supervision,
)
from .models import Publication, PublicationLogEntry
from .public.site_roots import site_root_paths
from .models.pages import SERVE_FEED_HOOK, SERVE_SEARCH_HOOK
from .promptness.recompute import RECOMPUTED
from .public import feeds, search
from .republishing import actions
from .syndication.poll import ENTRIES_SKIPPED
from .syndication.store import TEXT_FROM_SOURCE
from .vietnam_time import shown

register_snippet(snippets.TopicViewSet)
register_snippet(snippets.AgencyViewSet)
register_snippet(documents.DocumentViewSet)
hooks.register("register_admin_viewset", documents.PublicationViewSet)

hooks.register("register_admin_viewset", sources.SourceViewSet)
hooks.register("register_admin_viewset", subscriptions.SubscriptionViewSet)
hooks.register("register_admin_viewset", deadlines.DeadlinesGroup)
hooks.register("register_admin_urls", lambda: deadlines.urlpatterns)
hooks.register("register_admin_urls", lambda: queue.urlpatterns)
hooks.register("register_admin_menu_item", queue.menu_item)
hooks.register("register_admin_urls", lambda: inbox.urlpatterns)
hooks.register("register_admin_menu_item", inbox.menu_item)
hooks.register("construct_homepage_panels", inbox.add_panel)
hooks.register("register_admin_urls", lambda: compliance.urlpatterns)
hooks.register("register_admin_menu_item", compliance.menu_item)
hooks.register("construct_homepage_panels", report_deadlines.add_panel)

hooks.register("construct_page_chooser_queryset", choosers.restrict_page_chooser)
hooks.register("before_move_page", guards.refuse_moves_the_user_may_not_make)
filters.narrow_the_site_filter()
# After Wagtail's own images and documents apps have registered their endpoints.
hooks.register("construct_admin_api", choosers.restrict_admin_api, order=100)
hooks.register("register_admin_urls", lambda: supervision.urlpatterns)
hooks.register("get_avatar_url", avatars.avatar_url)
hooks.register("register_admin_menu_item", supervision.menu_item)
hooks.register("insert_global_admin_js", editor.vietnamese_slug_script)

hooks.register(SERVE_FEED_HOOK, feeds.serve_feed)
hooks.register(SERVE_SEARCH_HOOK, search.serve_search)

# Bulk actions: ours replace each of Wagtail's (scanned after them by their order) and ask news57.access.
for action_class in bulk_actions.ACTIONS:
    hooks.register("register_bulk_action", action_class, order=bulk_actions.HOOK_ORDER)
# End of bulk actions.


# Reports: ours, scoped by news57.access, replace Wagtail's menu items (their URLs are mounted in cms/urls.py).
for report_menu_item in reports.menu_item_hooks():
    hooks.register("register_reports_menu_item", report_menu_item)
hooks.register("construct_reports_menu", reports.drop_wagtails_report_menu_items)
reports.register_publication_url_finder()
# End of reports.


@hooks.register("register_log_actions")
def register_publication_actions(log_actions):
    log_actions.register_model(Publication, PublicationLogEntry)
    log_actions.register_action(actions.PUBLISH, _("Publish on a site"), _("Published on a site"))
    log_actions.register_action(actions.DECLINE, _("Decline for a site"), _("Declined for a site"))
    log_actions.register_action(actions.WITHDRAW, _("Withdraw from a site"), _("Withdrawn from a site"))

    @log_actions.register_action(RECOMPUTED)
    class DeadlineRecomputed(LogFormatter):
        label = _("Recompute the due time")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Due time recomputed: %(old)s → %(new)s (%(rule)s)") % {
                "old": shown(parse_datetime(data["old_due"])) if data.get("old_due") else "—",
                "new": shown(parse_datetime(data["new_due"])) if data.get("new_due") else "—",
                "rule": data.get("new_rule") or "—",
            }


@hooks.register("register_log_actions")
def register_source_actions(log_actions):
    @log_actions.register_action(ENTRIES_SKIPPED)
    class EntriesSkipped(LogFormatter):
        label = _("Skip entries without a title or a link")

        def format_message(self, log_entry):
            count = log_entry.data.get("count", 0)
            return ngettext(
                "Skipped %(count)s entry with neither a title nor a link",
                "Skipped %(count)s entries with neither a title nor a link",
                count,
            ) % {"count": count}


@hooks.register("register_log_actions")
def register_document_actions(log_actions):
    @log_actions.register_action(TEXT_FROM_SOURCE)
    class TextFromSource(LogFormatter):
        label = _("Take the text from a source")

        def format_message(self, log_entry):
            names = {"source": log_entry.data.get("source", "")}
            if log_entry.data.get("reason") == "provisional":
                return _("The provisional text was replaced by the text from the authoritative source “%(source)s”") % names
            return _("Text updated from the source “%(source)s”") % names


@hooks.register("before_serve_page")
def read_the_site_roots_cheaply(page, request, serve_args, serve_kwargs):
    """Every link on the page reads the site roots from the request: given here, from one light query,
    unless finding the site read them already (news57.site_lookup)."""
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        request._wagtail_cached_site_root_paths = site_root_paths()
