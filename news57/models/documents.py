"""Directive documents (stored once) and their publications (one per agency site)."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from .. import content
from ..document_codes import DocumentCode, own_and_cited, year_from_title
from ..text import fold, folded_words, html_text, slugify
from .deadlines import DeadlineClock, DeadlineUnit, describe_terms


class DocumentType(models.TextChoices):
    """Abbreviations of Decree 30/2020 and the Party's rules; the value is the code's own spelling."""

    RESOLUTION = "NQ", _("Resolution")
    DECREE = "NĐ", _("Decree")
    DECISION = "QĐ", _("Decision")
    DIRECTIVE = "CT", _("Directive")
    CIRCULAR = "TT", _("Circular")
    PLAN = "KH", _("Plan")
    PROGRAMME = "CTr", _("Programme")
    CONCLUSION = "KL", _("Conclusion")
    REGULATION = "QĐi", _("Regulation")
    NOTICE = "TB", _("Notice")
    GUIDANCE = "HD", _("Guidance")
    REPORT = "BC", _("Report")
    PROJECT = "ĐA", _("Scheme")
    LETTER = "CV", _("Official letter")
    OTHER = "", _("Other")


# Each type's label by its value, built once: get_doc_type_display() and DocumentType.values rebuild
# their lookups on every call, and a list reads the label twice a row.
TYPE_LABELS = dict(DocumentType.choices)


class LegalStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPLACED = "replaced", _("Replaced")
    REPEALED = "repealed", _("Repealed")


class DirectiveDocument(RevisionMixin, index.Indexed, ClusterableModel):
    """One real document, however many feeds or sites carry it.

    Identity is (normalised code, year, issuing agency): numbering restarts
    every year and "56/KH-UBND" exists in every province.
    """

    code = models.CharField(_("code"), max_length=100, blank=True, help_text=_("As written, e.g. 211/KH-UBND."))
    code_key = models.CharField(_("normalised code"), max_length=100, blank=True, db_index=True, editable=False)
    number = models.CharField(_("number"), max_length=20, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True, editable=False)
    doc_type = models.CharField(_("document type"), max_length=10, choices=DocumentType.choices, blank=True)
    issuer = models.ForeignKey(
        "news57.Agency", verbose_name=_("issuing agency"), on_delete=models.PROTECT, related_name="issued_documents"
    )
    entered_by = models.ForeignKey(
        "news57.Agency",
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entered_documents",
        editable=False,
        help_text=_("The agency whose editors entered it; empty when a feed brought it."),
    )
    title = models.CharField(_("title"), max_length=1000, help_text=_("The heading as published."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("The trích yếu: what the document is about."))
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=20, choices=LegalStatus.choices, default=LegalStatus.IN_FORCE
    )
    amended_by = ParentalManyToManyField(
        "self", verbose_name=_("amended by"), blank=True, symmetrical=False, related_name="amends"
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    cited_codes = models.JSONField(_("cited codes"), default=list, blank=True, editable=False)
    source_url = models.URLField(_("source link"), max_length=1000, blank=True)
    source_published_at = models.DateTimeField(
        _("published at the source"), null=True, blank=True, help_text=_("The earliest time a source published it.")
    )
    source_time_is_date_only = models.BooleanField(
        default=False, editable=False, help_text="The source gave a date without a time of day."
    )
    text_source = models.ForeignKey(
        "news57.Source",
        verbose_name=_("text from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The source whose title, summary, body and link the document carries; empty for an editor's text."),
    )
    is_provisional = models.BooleanField(
        _("provisional"),
        default=False,
        editable=False,
        db_index=True,
        help_text=_(
            "Entered by an agency that is not authoritative for its issuer: shown on that agency's site only, never "
            "carried to others, and replaced by the issuer's text when an authoritative source brings it."
        ),
    )
    text_changed_at = models.DateTimeField(
        _("text updated"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the title, summary, body or link last changed after the document was first recorded."),
    )
    topics = ParentalManyToManyField("news57.Topic", verbose_name=_("topics"), blank=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, editable=False)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("first seen"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("doc_type"), FieldPanel("issuer"), FieldPanel("signer")],
            heading=_("Identification"),
        ),
        FieldPanel("title"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("issued_on"), FieldPanel("effective_on")], heading=_("Dates")),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attached files"), heading=_("Attached files")),
        MultiFieldPanel(
            [FieldPanel("legal_status"), FieldPanel("amended_by"), FieldPanel("replaced_by")],
            heading=_("Legal status"),
        ),
        FieldPanel("topics"),
        MultiFieldPanel([FieldPanel("source_url"), FieldPanel("source_published_at")], heading=_("Source")),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("code"),
        index.SearchField("summary"),
        index.SearchField("folded_fields"),
        index.SearchField("folded_body"),
        index.AutocompleteField("title"),
        index.AutocompleteField("folded_fields"),
        index.AutocompleteField("code"),
        # The public search narrows to one site's live publications by id.
        index.FilterField("id"),
        index.FilterField("doc_type"),
        index.FilterField("issuer"),
        index.FilterField("year"),
        # What news57.access.visible_documents filters by, so searches can be narrowed the same way.
        index.FilterField("is_provisional"),
        index.FilterField("entered_by"),
    ]

    class Meta:
        verbose_name = _("directive document")
        verbose_name_plural = _("directive documents")
        ordering = ["-issued_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_key", "year", "issuer"],
                condition=~Q(code_key=""),
                name="news57_document_identity",
            )
        ]

    def __str__(self):
        return f"{self.code} – {self.title}" if self.code else self.title

    def body_text(self):
        return html_text(self.body)

    def folded_fields(self):
        """Code, title, summary and signer folded for the search index (search_text keeps the code's slashes)."""
        return folded_words(self.search_text)

    def folded_body(self):
        return folded_words(self.body_text())

    @property
    def parsed_code(self):
        return DocumentCode.parse(self.code) if self.code else None

    def derive_fields(self, with_slug=True):
        """Fill what follows from the code and title: key, number, year, type, cited codes, slug."""
        parsed = self.parsed_code
        own, cited = own_and_cited(self.title or "")
        if parsed is None and own is not None:
            parsed = own
            self.code = self.code or own.key
        self.code_key = parsed.key if parsed else ""
        self.number = parsed.number if parsed else ""
        self.year = (
            (parsed.year if parsed else None)
            or (self.issued_on.year if self.issued_on else None)
            or year_from_title(self.title or "")
            # An imported re-post without a date keeps the year the importer gave it.
            or (self.year if parsed else None)
        )
        if parsed and not self.doc_type and parsed.type_code in DocumentType.values:
            self.doc_type = parsed.type_code
        own_key = self.code_key
        self.cited_codes = sorted({code.key for code in cited if code.key != own_key} | set(self.cited_codes or []))
        self.search_text = fold(" ".join([self.code, self.title, self.summary, self.signer]))
        if with_slug and not self.slug:
            self.slug = self._unique_slug()

    def base_slug(self):
        return slugify(f"{self.code_key or self.title[:80]} {self.year or ''}")[:120] or "van-ban"

    def _unique_slug(self):
        base = self.base_slug()
        slug, n = base, 1
        while DirectiveDocument.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    TEXT_FIELDS = ("title", "summary", "body", "source_url")

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        # Only when loaded whole: reading a deferred field here would load it, one query per row.
        loaded = all(name in document.__dict__ for name in cls.TEXT_FIELDS)
        document._stored_text = document.text_fingerprint() if loaded else None
        return document

    def text_fingerprint(self):
        return tuple(getattr(self, name, None) for name in self.TEXT_FIELDS)

    def save(self, *args, **kwargs):
        self.derive_fields()
        stored = getattr(self, "_stored_text", None)
        if self.pk is not None and stored is not None and stored != self.text_fingerprint():
            self.text_changed_at = timezone.now()
        self.is_provisional = self.provisional_now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_changed_at", "is_provisional"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        self._stored_text = self.text_fingerprint()
        if not adding:
            content.changed(documents=[self.pk])

    def provisional_now(self):
        """An editor's text of a document whose issuer the entering agency is not authoritative for."""
        if self.entered_by_id is None or self.text_source_id is not None or self.issuer_id is None:
            return False
        return not self.entered_by.is_authoritative_for(self.issuer_id)

    def clean(self):
        super().clean()
        # The identity is derived from the code, which the form has but the constraint's fields are
        # not form fields: Django would not check it, and the save would fail with an IntegrityError.
        self.derive_fields(with_slug=False)
        if self.code_key and self.issuer_id and self.same_identity().exists():
            raise ValidationError(
                {
                    "code": _("Document %(code)s of %(year)s issued by %(issuer)s is already recorded.")
                    % {"code": self.code_key, "year": self.year or "—", "issuer": self.issuer}
                }
            )

    def same_identity(self):
        """Other documents with this one's code, year and issuer."""
        return DirectiveDocument.objects.filter(code_key=self.code_key, year=self.year, issuer_id=self.issuer_id).exclude(
            pk=self.pk
        )

    @property
    def type_label(self):
        return TYPE_LABELS.get(self.doc_type, self.doc_type)

    def cited_documents(self):
        """The documents this one cites that we hold, by code."""
        if not self.cited_codes:
            return DirectiveDocument.objects.none()
        return DirectiveDocument.objects.filter(code_key__in=self.cited_codes).exclude(pk=self.pk)


class DocumentAttachment(Orderable):
    """A file of a document, kept byte for byte; the signed PDF comes first."""

    document = ParentalKey(DirectiveDocument, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("wagtaildocs.Document", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("label"), max_length=255, blank=True)
    is_signed = models.BooleanField(_("signed original"), default=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True, editable=False)

    panels = [FieldPanel("file"), FieldPanel("label"), FieldPanel("is_signed")]

    class Meta(Orderable.Meta):
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def save(self, *args, **kwargs):
        if self.file_id and (not self.sha256 or self.size is None):
            self.sha256, self.size = file_digest(self.file.file)
        super().save(*args, **kwargs)

    @property
    def extension(self):
        return self.file.file_extension.upper() if self.file_id else ""


def file_digest(field_file):
    digest, size = hashlib.sha256(), 0
    field_file.open("rb")
    try:
        for chunk in field_file.chunks():
            digest.update(chunk)
            size += len(chunk)
    finally:
        field_file.close()
    return digest.hexdigest(), size


class PublicationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PUBLISHED = "published", pgettext_lazy("publication status", "Published")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublishedVia(models.TextChoices):
    EDITOR = "editor", _("By an editor")
    SUBSCRIPTION = "subscription", _("Automatically, by subscription")


# What readers see of a publication (whether and since when the document is on the site, and a withdrawal's
# notice); a write of anything else (deadlines, warning marks) changes no public page.
PUBLIC_FIELDS = {"status", "published_at", "decided_at", "reason", "document", "document_id", "site", "site_id"}


class PublicationQuerySet(models.QuerySet):
    """Every write in bulk marks the rows changed, as save() does: the promptness tally's cache trusts it.
    (bulk_update() writes through update().)"""

    def bulk_create(self, objs, *args, **kwargs):
        # Fan-out inserts live rows in bulk, past save(): they too must carry their first live time.
        objs = list(objs)
        for publication in objs:
            publication.keep_live_record()
        created = super().bulk_create(objs, *args, **kwargs)
        content.changed(publications=[(p.site_id, p.document_id) for p in objs if p.status == PublicationStatus.PUBLISHED])
        return created

    def update(self, **kwargs):
        kwargs.setdefault("changed_at", timezone.now())
        if PUBLIC_FIELDS & kwargs.keys():
            content.changed(publications=self.values_list("site_id", "document_id"))
        return super().update(**kwargs)


class Publication(models.Model):
    """A document on one agency's site: when the obligation began, when it was due, when it went live."""

    document = models.ForeignKey(
        DirectiveDocument,
        verbose_name=pgettext_lazy("directive document", "document"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="publications"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.QUEUED, db_index=True
    )
    obligated_at = models.DateTimeField(_("obligation began"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    # The rule's terms as they were when the due time was set: changing the rule later changes neither.
    deadline_rule = models.CharField(_("deadline rule"), max_length=255, blank=True)
    deadline_unit = models.CharField(_("counted in"), max_length=20, choices=DeadlineUnit.choices, blank=True)
    deadline_amount = models.PositiveSmallIntegerField(_("how many"), null=True, blank=True)
    deadline_clock = models.CharField(
        _("the clock started at"), max_length=20, choices=DeadlineClock.choices, blank=True
    )
    on_time = models.BooleanField(
        _("went live in time"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when it first goes live, from its first live time and its due time."),
    )
    # Each warning e-mail is sent once: a conditional UPDATE on these marks it sent.
    warning_sent_at = models.DateTimeField(_("warning sent"), null=True, blank=True, editable=False)
    overdue_sent_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("went live"), null=True, blank=True, db_index=True)
    first_published_at = models.DateTimeField(
        _("first went live"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set once and never changed: promptness is measured from it, even after withdrawal and republishing."
        ),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_via = models.CharField(_("published"), max_length=20, choices=PublishedVia.choices, blank=True)
    subscription = models.ForeignKey(
        "news57.Subscription",
        verbose_name=_("subscription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    is_backfill = models.BooleanField(
        _("backfill"), default=False, help_text=_("Published at the source before the subscription began; never late.")
    )
    source_time = models.DateTimeField(
        _("time at the source"), null=True, blank=True, help_text=_("When the subscribed source published it.")
    )
    first_seen_at = models.DateTimeField(
        _("first seen"), null=True, blank=True, help_text=_("When our fetcher first saw it at the subscribed source.")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was declined or withdrawn."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set by every write (save, update, bulk_update): what the cached promptness tally checks it is still true to.
    changed_at = models.DateTimeField(_("changed"), auto_now=True, editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["document", "site"], name="news57_one_publication_per_site")]
        indexes = [
            # A site's list, newest first, read in order with no sort (the id breaks ties).
            models.Index(fields=["site", "status", "-published_at", "-id"], name="news57_pub_site_list"),
            # The promptness tally reads a province's half-year from this index alone, and its fingerprint
            # a period's changes from the next.
            models.Index(
                fields=[
                    "site", "due_at", "is_backfill", "status", "first_published_at", "source_time", "obligated_at",
                    "first_seen_at",
                ],
                name="news57_pub_tally",
            ),
            models.Index(fields=["due_at", "changed_at"], name="news57_pub_due_changed"),
        ]

    def __str__(self):
        return f"{self.document} @ {self.site}"

    def keep_live_record(self):
        """Keep the first live time (the first published_at ever stored) and whether it was in time; True if changed."""
        changed = False
        if self.first_published_at is None and self.published_at is not None:
            self.first_published_at = self.published_at
            changed = True
        judged = self.judge()
        if judged != self.on_time:
            self.on_time = judged
            changed = True
        return changed

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_at"}
            if self.keep_live_record():
                kwargs["update_fields"] |= {"first_published_at", "on_time"}
        else:
            self.keep_live_record()
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None or PUBLIC_FIELDS & set(kwargs["update_fields"]):
            content.changed(publications=[(self.site_id, self.document_id)])

    @property
    def is_live(self):
        return self.status == PublicationStatus.PUBLISHED

    @property
    def was_live(self):
        return self.status == PublicationStatus.WITHDRAWN and self.published_at is not None

    @property
    def first_live_at(self):
        """When it first went live (an unsaved row has only published_at)."""
        return self.first_published_at or self.published_at

    def judge(self):
        """True or False once it went live against a due time; None while that cannot be told (stored as on_time).

        Told by the first live time: withdrawing and republishing moves published_at, not the record.
        """
        if self.is_backfill:
            # Older than the subscription: never late, on time once it is live.
            return True if self.first_live_at is not None else None
        if self.first_live_at is None or self.due_at is None:
            return None
        return self.first_live_at <= self.due_at

    @property
    def is_on_time(self):
        return self.judge()

    def get_on_time_display(self):
        if self.on_time is None:
            return ""
        return _("On time") if self.on_time else _("Late")

    @property
    def deadline_terms(self):
        """The stored rule in words, "5 ngày làm việc, tính từ khi cơ quan ban hành công bố", or ""."""
        return describe_terms(self.deadline_unit, self.deadline_amount, self.deadline_clock)
