import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import content, site_lookup
from .database import refresh_statistics
from .models import DirectiveDocument
from .models.pages import ancestor_paths
from .republishing.fanout import fan_out
from .text import nfc


@receiver(pre_save)
def store_text_as_nfc(sender, instance, raw=False, **kwargs):
    """Text saved by code (commands, feeds, shells) is NFC too, not only form input."""
    if raw:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))


@receiver(post_save, sender="news57.Subscription")
def carry_what_the_source_already_brought(sender, instance, raw=False, **kwargs):
    """A new or changed subscription gets the documents its source brought before it: a task queued once committed."""
    if raw or not instance.enabled:
        return
    from .republishing.tasks import backfill_subscription

    instance.queue_backfill()
    subscription_id = instance.pk
    # Robust: the save is committed by then, so a broker that is down must not turn it into an error page.
    transaction.on_commit(lambda: backfill_subscription.delay(subscription_id), robust=True)


@receiver(post_save, sender=get_image_model())
def warm_the_public_renditions(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """An image saved with a new file gets the renditions the public pages draw, made by the worker once committed."""
    if raw or (update_fields is not None and "file" not in update_fields):
        return
    from .public.tasks import warm_renditions

    image_id = instance.pk
    transaction.on_commit(lambda: warm_renditions.delay(image_id), robust=True)


@receiver(m2m_changed, sender=DirectiveDocument.topics.through)
def carry_what_a_topic_now_admits(sender, instance, action, reverse, pk_set, **kwargs):
    """A document given a topic may now pass a subscription's topic filter: fan it out again, once committed.

    Fan-out creates only what is missing, so a topic taken away withdraws nothing.
    """
    if action != "post_add" or not pk_set:
        return
    documents = [instance.pk] if not reverse else list(pk_set)
    transaction.on_commit(lambda: fan_out(documents))


logger = logging.getLogger(__name__)


def _sites_showing(page):
    """The sites whose root is the page or above it, read afresh (Wagtail's cached site roots may be stale)."""
    return list(Site.objects.filter(root_page__path__in=ancestor_paths(page)).values_list("pk", flat=True))


def _page_changed(page):
    content.changed(pages=[(site_id, page.pk) for site_id in _sites_showing(page)])


@receiver(page_published)
@receiver(page_unpublished)
def page_shown_or_hidden(sender, instance, **kwargs):
    """A page published (a change included), unpublished or expired changes what its site shows."""
    _page_changed(instance)


@receiver(pre_delete)
def live_page_deleted(sender, instance, **kwargs):
    # Before: once deleted, the page no longer knows its site.
    if isinstance(instance, Page) and instance.live and type(instance) is not Page:
        _page_changed(instance)


@receiver(post_page_move)
def page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """A moved page leaves its old place (maybe another site) and shows at the new one."""
    sites = {*_sites_showing(parent_page_before), *_sites_showing(instance)}
    content.changed(pages=[(site_id, instance.pk) for site_id in sites])
    # A home moved routes by its new path; one below it moved leaves the home's numchild stale.
    _forget(site_lookup.forget_sites_of, [instance.pk, parent_page_before.pk, parent_page_after.pk])


def _forget(forget, *args):
    # Now, for what this transaction reads next; again after commit, for a request that kept the old
    # state while the transaction was open.
    forget(*args)
    transaction.on_commit(lambda: forget(*args), robust=True)


@receiver(pre_save, sender=Site)
def site_about_to_change(sender, instance, raw=False, **kwargs):
    instance._hostname_before = (
        Site.objects.filter(pk=instance.pk).values_list("hostname", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    """A site edited or deleted is found afresh, under its old host name and its new."""
    _forget(site_lookup.forget, [getattr(instance, "_hostname_before", None), instance.hostname])
    if kwargs.get("signal") is post_save:
        # Its name heads every page of it.
        content.changed(whole_sites=[instance.pk])


@receiver(post_save)
@receiver(post_delete)
def home_page_changed(sender, instance, **kwargs):
    """A site's home saved (published, unpublished, renamed) or deleted: the site kept with it is stale."""
    # Sites' homes are the tree root's children: other pages are never asked about.
    if isinstance(instance, Page) and instance.depth is not None and instance.depth <= 2:
        _forget(site_lookup.forget_sites_of, [instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs):
    """A page made private (or public again) hides (or shows) it and all below it, on every site showing it:
    none of their cached copies may be served as they were."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        content.changed(whole_sites=_sites_showing(page))


@receiver(m2m_changed, sender=DirectiveDocument.topics.through)
def document_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A document's topics show on its page everywhere it is carried."""
    if action in ("post_add", "post_remove", "post_clear"):
        content.changed(documents=[instance.pk] if not reverse else list(pk_set or ()))


@receiver(content.content_changed)
def purge_the_frontend_cache(sender, sites, pages, publications, everything, whole_sites=(), **kwargs):
    """Queue the purge of what changed (already committed): the worker sends it, never the request."""
    if not settings.NEWS57_FRONTEND_CACHE:
        return
    from .public.tasks import purge_changes

    try:
        purge_changes.delay(
            sites=sites, pages=pages, publications=publications, whole_sites=whole_sites, everything=everything
        )
    except Exception:
        # The change is committed; a broker that is down must not turn it into an error page.
        logger.exception("Could not queue the frontend cache purge of %d sites", len(sites))


@receiver(post_migrate)
def statistics_after_migrating(sender, app_config=None, **kwargs):
    """Fresh statistics for the tables a migration made or filled (once a run: for news57's own app)."""
    if app_config is not None and app_config.name == "news57":
        refresh_statistics()
