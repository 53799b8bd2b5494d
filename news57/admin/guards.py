"""Wagtail admin views that check no permission of their own, guarded by news57.access.

Each is mounted in cms/urls.py ahead of Wagtail's admin at Wagtail's own path
and name, and hands the request to Wagtail's view only once the check passes:

- the workflow-cancellation confirmation names any page's workflow and task;
- the task chooser lists (and chooses) every agency's approval tasks;
- the "failwhale" error test raises for whoever opens it;
- the external-link chooser and the directive documents' chooser "create" step
  answer 500 to a POST without their form (Wagtail reads fields it never checked).

Wagtail reverses its own names to the same paths, so every link still leads here.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser, home, workflows
from wagtail.admin.views.pages.workflow import ConfirmWorkflowCancellationView
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ..access import can_manage_workflows, can_see_page
from ..models import DirectiveDocument


def _directive_document_chooser_create(request, *args, **kwargs):
    # Looked up per request: the snippet viewset is registered after these patterns are built.
    return DirectiveDocument.snippet_viewset.chooser_viewset.create_view(request, *args, **kwargs)


def _guarded(view, allowed):
    """Wagtail's view, answering 403 (before it loads anything) unless allowed(request, **kwargs)."""

    def guarded(request, *args, **kwargs):
        if not allowed(request, **kwargs):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _may_edit_page(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    return can_see_page(page, request.user) and page.permissions_for_user(request.user).can_edit()


def _manages_workflows(request, **kwargs):
    return can_manage_workflows(request.user)


def _is_superuser(request, **kwargs):
    return request.user.is_superuser


def _posted_with(field):
    def has_field(request, **kwargs):
        return request.method != "POST" or field in request.POST

    return has_field


def _not_posted(request, **kwargs):
    return request.method != "POST"


guarded_urlpatterns = decorate_urlpatterns(
    [
        path(
            "pages/workflow/confirm_cancellation/<int:page_id>/",
            _guarded(ConfirmWorkflowCancellationView.as_view(), _may_edit_page),
        ),
        path("workflows/task_chooser/", _guarded(workflows.TaskChooserView.as_view(), _manages_workflows)),
        path(
            "workflows/task_chooser/results/",
            _guarded(workflows.TaskChooserResultsView.as_view(), _manages_workflows),
        ),
        path("workflows/task_chooser/create/", _guarded(workflows.TaskChooserCreateView.as_view(), _manages_workflows)),
        path("workflows/task_chooser/<int:task_id>/", _guarded(workflows.task_chosen, _manages_workflows)),
        path("failwhale/", _guarded(home.error_test, _is_superuser)),
        path(
            "choose-external-link/",
            _guarded(chooser.ExternalLinkView.as_view(), _posted_with("external-link-chooser-url")),
        ),
        # Documents are created from their own form, which records the agency entering them.
        path(
            "snippets/choose/news57/directivedocument/create/",
            _guarded(_directive_document_chooser_create, _not_posted),
        ),
    ],
    require_admin_access,
)


def refuse_moves_the_user_may_not_make(request, page, destination):
    """before_move_page: Wagtail's move confirmation shows the page before its action checks anything."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
