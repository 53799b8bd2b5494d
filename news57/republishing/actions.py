"""What editors do to publications: publish, republish, decline, withdraw; each one audit-logged.

Decisions hold. Each action locks the publication's row, reads its status again
and refuses (PublicationRefused) unless that status is one it may start from:

    publish    queued -> published
    republish  no publication or queued -> published, withdrawn -> published again;
               already published: left as it is; declined: refused
    decline    queued -> declined
    withdraw   published -> withdrawn

A caller showing a person a form passes `seen`, the status that form showed; the
action then refuses too when the locked row's status is another, so a decision
someone took meanwhile is never overridden by a page opened before it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from ..models import Publication, PublicationStatus, PublishedVia

PUBLISH = "news57.publication.publish"
DECLINE = "news57.publication.decline"
WITHDRAW = "news57.publication.withdraw"

# What a person saw for a site that had no publication of the document yet.
NOT_CARRIED = "none"

CHANGED = _(
    "“%(document)s” on %(site)s was changed after the page was opened and is now “%(status)s”, so nothing was done."
)
NOT_PUBLISHABLE = _("Only a queued publication can be published.")
NOT_DECLINABLE = _("Only a queued publication can be declined.")
NOT_WITHDRAWABLE = _("Only a published document can be withdrawn.")
DECLINED_HOLDS = _("“%(document)s” was declined for %(site)s; that decision stands, so it was not republished.")
NO_REASON = _("A reason must be given.")
PROVISIONAL_STAYS = _(
    "“%(document)s” is provisional: until its issuer's text arrives it is shown only on the site of the agency "
    "that entered it."
)


class PublicationRefused(ValueError):
    """The action does not apply to the publication in its present status; str() is the message for people."""

    def __init__(self, message, **params):
        super().__init__(message, params)
        self.message = message
        self.params = params

    def __str__(self):
        # Formatted when shown, so a lazy message comes out in the language active then.
        return str(self.message) % self.params if self.params else str(self.message)


def _names(publication, **extra):
    return {"document": str(publication.document), "site": publication.site.agency.name, **extra}


def _refused(message, publication):
    return PublicationRefused(message, **_names(publication))


def _changed(publication):
    return PublicationRefused(CHANGED, **_names(publication, status=PublicationStatus(publication.status).label))


def _locked(publication):
    return Publication.objects.select_for_update().get(pk=publication.pk)


def _check(publication, seen, allowed, refusal):
    """Refuse unless the locked row is still what the person saw, and in a status the action starts from."""
    if seen is not None and publication.status != seen:
        raise _changed(publication)
    if publication.status not in allowed:
        raise _refused(refusal, publication)


def _log(publication, action, user, **data):
    log(instance=publication, action=action, user=user, data={"site": publication.site_id, **data})


@transaction.atomic
def republish(document, site, user, *, seen=None, at=None):
    """Put a document live on a site ("Đăng lại"), creating its publication or publishing the queued one.

    The one way back for a withdrawn publication. An already live one is returned
    unchanged (a second click changes nothing); a declined one is refused.
    `seen` is the status the person was shown, or NOT_CARRIED.
    """
    at = at or timezone.now()
    if document.is_provisional and getattr(site, "agency", None) is not None and site.agency.pk != document.entered_by_id:
        raise PublicationRefused(PROVISIONAL_STAYS, document=str(document))
    try:
        with transaction.atomic():
            publication, created = Publication.objects.get_or_create(
                document=document, site=site, defaults={"obligated_at": at}
            )
    except IntegrityError:
        # Another request created it between our read and our insert.
        publication, created = Publication.objects.get(document=document, site=site), False
    if created:
        # Our insert holds the unique key until we commit: nobody else can act on it meanwhile.
        if seen not in (None, NOT_CARRIED):
            raise _changed(publication)
        return _go_live(publication, user, at=at, via=PublishedVia.EDITOR)
    publication = _locked(publication)
    if publication.status == PublicationStatus.PUBLISHED:
        return publication
    if seen is not None and publication.status != seen:
        raise _changed(publication)
    if publication.status == PublicationStatus.DECLINED:
        raise _refused(DECLINED_HOLDS, publication)
    return _go_live(publication, user, at=at, via=PublishedVia.EDITOR)


@transaction.atomic
def publish(publication, user, *, seen=None, at=None, via=PublishedVia.EDITOR):
    """Put a queued publication live; anything else is refused (a withdrawn one goes back through republish)."""
    publication = _locked(publication)
    _check(publication, seen, {PublicationStatus.QUEUED}, NOT_PUBLISHABLE)
    return _go_live(publication, user, at=at, via=via)


def _go_live(publication, user, *, at, via):
    """Called with the row locked. published_at is the latest live time; the first one is never rewritten."""
    at = at or timezone.now()
    publication.first_published_at = publication.first_published_at or publication.published_at or at
    publication.status = PublicationStatus.PUBLISHED
    publication.published_at = at
    publication.decided_at = at
    publication.published_by = user if user and user.is_authenticated else None
    publication.published_via = via
    publication.reason = ""
    publication.save()
    _log(publication, PUBLISH, user)
    return publication


def _decide(publication, user, reason, *, seen, allowed_from, refusal, to, action):
    """Move a publication from `allowed_from` to `to` for a stated reason, and log it."""
    reason = (reason or "").strip()
    if not reason:
        raise PublicationRefused(NO_REASON)
    with transaction.atomic():
        publication = _locked(publication)
        _check(publication, seen, {allowed_from}, refusal)
        publication.status = to
        publication.decided_at = timezone.now()
        publication.reason = reason
        publication.save()
        _log(publication, action, user, reason=reason)
    return publication


def decline(publication, user, reason, *, seen=None):
    """A recorded decision not to carry a queued document; never counted as late."""
    return _decide(
        publication,
        user,
        reason,
        seen=seen,
        allowed_from=PublicationStatus.QUEUED,
        refusal=NOT_DECLINABLE,
        to=PublicationStatus.DECLINED,
        action=DECLINE,
    )


def withdraw(publication, user, reason, *, seen=None):
    """Take a live document down; its page then says it was withdrawn. Its first live time stays."""
    return _decide(
        publication,
        user,
        reason,
        seen=seen,
        allowed_from=PublicationStatus.PUBLISHED,
        refusal=NOT_WITHDRAWABLE,
        to=PublicationStatus.WITHDRAWN,
        action=WITHDRAW,
    )
