"""What editors do to publications: publish, republish, decline, withdraw; each one audit-logged."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..models import Publication, PublicationStatus, PublishedVia

PUBLISH = "news57.publication.publish"
DECLINE = "news57.publication.decline"
WITHDRAW = "news57.publication.withdraw"


class PublicationRefused(ValueError):
    """The action does not apply to the publication in its present status."""


def _log(publication, action, user, **data):
    log(instance=publication, action=action, user=user, data={"site": publication.site_id, **data})


@transaction.atomic
def republish(document, site, user, *, at=None):
    """Put a document live on a site ("Đăng lại"), creating its publication or publishing the queued one."""
    at = at or timezone.now()
    try:
        with transaction.atomic():
            publication, _created = Publication.objects.get_or_create(
                document=document, site=site, defaults={"obligated_at": at}
            )
    except IntegrityError:
        # Another request created it between our read and our insert.
        publication = Publication.objects.get(document=document, site=site)
    return publish(publication, user, at=at)


@transaction.atomic
def publish(publication, user, *, at=None, via=PublishedVia.EDITOR):
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status == PublicationStatus.PUBLISHED:
        return publication
    publication.status = PublicationStatus.PUBLISHED
    publication.published_at = at or timezone.now()
    publication.decided_at = publication.published_at
    publication.published_by = user if user and user.is_authenticated else None
    publication.published_via = via
    publication.reason = ""
    publication.save()
    _log(publication, PUBLISH, user)
    return publication


def _decide(publication, user, reason, *, allowed_from, to, action):
    """Move a publication from `allowed_from` to `to` for a stated reason, and log it."""
    reason = (reason or "").strip()
    if not reason:
        raise PublicationRefused(f"{to} needs a reason")
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if publication.status != allowed_from:
            raise PublicationRefused(f"only a {allowed_from} publication can become {to}, not a {publication.status} one")
        publication.status = to
        publication.decided_at = timezone.now()
        publication.reason = reason
        publication.save()
        _log(publication, action, user, reason=reason)
    return publication


def decline(publication, user, reason):
    """A recorded decision not to carry a queued document; never counted as late."""
    return _decide(
        publication, user, reason, allowed_from=PublicationStatus.QUEUED, to=PublicationStatus.DECLINED, action=DECLINE
    )


def withdraw(publication, user, reason):
    """Take a live document down; its page then says it was withdrawn."""
    return _decide(
        publication,
        user,
        reason,
        allowed_from=PublicationStatus.PUBLISHED,
        to=PublicationStatus.WITHDRAWN,
        action=WITHDRAW,
    )
