"""Feeds we poll (Source), each entry they carried (SourceEntry), and the files still to fetch."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from ..source_errors import error_message
from .agencies import AUTHORITY_PERMISSION


class SourceLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")


class Carries(models.TextChoices):
    DETECT = "detect", _("Detect: documents when the title has a code, else news")
    DOCUMENTS = "documents", _("Directive documents")
    NEWS = "news", _("News")


def minimum_poll_interval():
    return settings.NEWS57_SOURCE_MIN_INTERVAL_SECONDS


def key_hash(value):
    """A fixed-width key for a guid or link of any length, for the unique constraint."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


class Source(models.Model):
    """A feed we poll, and the state a person needs to trust it."""

    name = models.CharField(_("name"), max_length=255)
    url = models.URLField(_("feed address"), max_length=1000, unique=True)
    default_issuer = models.ForeignKey(
        "news57.Agency",
        verbose_name=_("default issuing agency"),
        on_delete=models.PROTECT,
        related_name="sources",
        help_text=_("Used when neither the entry's author nor its code names a known agency."),
    )
    agency = models.ForeignKey(
        "news57.Agency",
        verbose_name=_("publishing agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_sources",
        help_text=_(
            "The agency whose portal publishes this feed. The source is authoritative for the issuers that agency is "
            "authoritative for; when empty, for those of the default issuing agency."
        ),
    )
    authoritative_for = models.ManyToManyField(
        "news57.Agency",
        verbose_name=_("also authoritative for"),
        blank=True,
        related_name="authoritative_sources",
        help_text=_("Issuers whose documents this source may give the text of, besides its agency's."),
    )
    level = models.CharField(_("level"), max_length=20, choices=SourceLevel.choices)
    carries = models.CharField(_("carries"), max_length=20, choices=Carries.choices, default=Carries.DETECT)
    enabled = models.BooleanField(_("enabled"), default=True)
    poll_interval = models.PositiveIntegerField(
        _("poll interval (seconds)"), default=300, help_text=_("How often to fetch the feed; 300 is 5 minutes.")
    )

    # Conditional GET: what the server said last time.
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=255, blank=True, editable=False)

    next_poll_at = models.DateTimeField(_("next poll"), default=timezone.now, db_index=True)
    # Set by whoever claims the source to poll it (beat tick, syndicate command), for one
    # attempt; the value is the claim's token, which the poll task carries and compares.
    # A poll lost with its worker is queued again once this passes.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    last_error_reason = models.CharField(max_length=50, blank=True, editable=False)
    last_error_params = models.JSONField(default=dict, blank=True, editable=False)
    last_error_detail = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0, editable=False)
    entries_seen = models.PositiveIntegerField(_("entries seen"), default=0, editable=False)
    disabled_at = models.DateTimeField(
        _("disabled automatically"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a long run of failures turned the source off."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        MultiFieldPanel(
            [FieldPanel("default_issuer"), FieldPanel("level"), FieldPanel("carries")], heading=_("What it carries")
        ),
        MultiFieldPanel(
            [
                FieldPanel("agency", permission=AUTHORITY_PERMISSION),
                FieldPanel("authoritative_for", permission=AUTHORITY_PERMISSION),
            ],
            heading=_("Authority over documents' text"),
        ),
        MultiFieldPanel([FieldPanel("enabled"), FieldPanel("poll_interval")], heading=_("Polling")),
    ]

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]
        indexes = [models.Index(fields=["enabled", "next_poll_at"], name="news57_source_due")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        minimum = minimum_poll_interval()
        if self.poll_interval is not None and self.poll_interval < minimum:
            raise ValidationError(
                {"poll_interval": _("The poll interval must be at least %(seconds)s seconds.") % {"seconds": minimum}}
            )

    def save(self, *args, **kwargs):
        # Turning a source back on clears the automatic disabling and polls it soon.
        if self.enabled and self.disabled_at is not None:
            self.disabled_at = None
            self.consecutive_failures = 0
            self.next_poll_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def province(self):
        return self.default_issuer.province

    def authority_ids(self):
        """The issuers whose documents' title, summary, body and link this source may set."""
        publisher = self.agency or self.default_issuer
        ids = publisher.authority_ids()
        if self.pk is not None:
            ids.update(self.authoritative_for.values_list("pk", flat=True))
        return ids

    @property
    def last_error_message(self):
        """The last error in plain words for the administrator; "" when the last poll succeeded."""
        if not self.last_error_reason:
            return ""
        return error_message(self.last_error_reason, self.last_error_params)

    @property
    def is_failing(self):
        return self.consecutive_failures > 0

    @property
    def interval(self):
        """The time between polls: its own, but never below the minimum (a setting may have risen)."""
        return timedelta(seconds=max(self.poll_interval, minimum_poll_interval()))

    def backoff(self):
        """How long to wait after the current run of failures: doubling, capped."""
        cap = timedelta(seconds=settings.NEWS57_SOURCE_MAX_BACKOFF_SECONDS)
        return min(cap, self.interval * 2 ** max(0, self.consecutive_failures - 1))


class EntryKind(models.TextChoices):
    DOCUMENT = "document", _("Directive document")
    NEWS = "news", _("News")


class SourceEntry(models.Model):
    """One entry of one source, once: unique per (source, guid or link).

    An entry that is a directive document points at it (several entries of
    several sources can point at the same one); an entry without a code is kept
    as syndicated news, linking back to its source page.
    """

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="entries")
    guid = models.TextField(_("identifier in the feed"))
    guid_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    document = models.ForeignKey(
        "news57.DirectiveDocument",
        verbose_name=pgettext_lazy("directive document", "document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_entries",
    )
    title = models.CharField(_("title"), max_length=1000)
    link = models.URLField(_("link at the source"), max_length=2000, blank=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Cleaned HTML."))
    own_code = models.CharField(_("own code"), max_length=100, blank=True)
    cited_codes = models.JSONField(_("cited codes"), default=list, blank=True)
    attachment_urls = models.JSONField(_("attachments"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at the source"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    content_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("source entry")
        verbose_name_plural = _("source entries")
        ordering = ["-first_seen_at"]
        constraints = [models.UniqueConstraint(fields=["source", "guid_hash"], name="news57_one_entry_per_guid")]

    def __str__(self):
        return self.title

    @property
    def source_time(self):
        """When the source published it, or when we first saw it when the feed gave no date."""
        return self.published_at or self.first_seen_at


class DownloadStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Downloaded")
    FAILED = "failed", _("Missing attached file")


class AttachmentDownload(models.Model):
    """A file a feed enclosed with a document: fetched apart, retried until it arrives."""

    document = models.ForeignKey(
        "news57.DirectiveDocument",
        verbose_name=pgettext_lazy("directive document", "document"),
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    url = models.URLField(_("address"), max_length=2000)
    url_hash = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=DownloadStatus.choices, default=DownloadStatus.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now, db_index=True)
    error_reason = models.CharField(max_length=50, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    attachment = models.ForeignKey(
        "news57.DocumentAttachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment download")
        verbose_name_plural = _("attachment downloads")
        constraints = [models.UniqueConstraint(fields=["document", "url_hash"], name="news57_one_download_per_file")]

    def __str__(self):
        return self.url

    @property
    def error_message(self):
        return error_message(self.error_reason, self.error_params) if self.error_reason else ""

    def save(self, *args, **kwargs):
        self.url_hash = key_hash(self.url)
        super().save(*args, **kwargs)
