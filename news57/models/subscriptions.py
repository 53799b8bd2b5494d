"""Which agency sites republish which sources, and by which DeadlineRule: Subscription."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from ..document_codes import DocumentCode
from .deadlines import DeadlineRule


class Policy(models.TextChoices):
    PUBLISH = "publish", _("Publish at once")
    QUEUE = "queue", _("Queue for the agency's approval")


class BackfillState(models.TextChoices):
    """Where carrying what the source brought before a subscription (or its widening) stands."""

    NONE = "", _("Not run")
    QUEUED = "queued", _("Waiting to run")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by an error")


class Subscription(models.Model):
    """An agency's site (and, by the agency tree, those below it) republishing what a source brings."""

    source = models.ForeignKey(
        "news57.Source", verbose_name=_("source"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    agency = models.ForeignKey(
        "news57.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    include_agency = models.BooleanField(_("the agency's own site"), default=True)
    include_below = models.BooleanField(
        _("every agency below it"),
        default=False,
        help_text=_("Its departments and communes, and theirs, without listing them one by one."),
    )
    policy = models.CharField(_("policy"), max_length=20, choices=Policy.choices, default=Policy.PUBLISH)
    deadline_rule = models.ForeignKey(
        DeadlineRule, verbose_name=_("deadline rule"), on_delete=models.PROTECT, related_name="subscriptions"
    )
    only_citing = models.CharField(
        _("only documents citing"),
        max_length=100,
        blank=True,
        help_text=_("A document code, e.g. 57-NQ/TW: only documents that are or cite it."),
    )
    only_topic = models.ForeignKey(
        "news57.Topic",
        verbose_name=_("only documents of topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_at = models.DateTimeField(
        _("starts"),
        default=timezone.now,
        help_text=_("Documents published at the source before this are backfill: carried, never counted late."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Backfill progress, written by news57.republishing.fanout.backfill_step in the batch's own transaction.
    backfill_state = models.CharField(
        _("backfill"), max_length=20, choices=BackfillState.choices, default=BackfillState.NONE, blank=True,
        editable=False,
    )  # fmt: skip
    backfill_cursor = models.BigIntegerField(
        _("backfill cursor"), null=True, blank=True, editable=False, help_text=_("The last document id backfilled.")
    )
    backfill_done = models.PositiveIntegerField(_("documents backfilled"), default=0, editable=False)
    backfill_total = models.PositiveIntegerField(_("documents to backfill"), null=True, blank=True, editable=False)
    backfill_started_at = models.DateTimeField(_("backfill started"), null=True, blank=True, editable=False)
    backfill_finished_at = models.DateTimeField(_("backfill finished"), null=True, blank=True, editable=False)
    backfill_error = models.TextField(_("backfill error"), blank=True, editable=False)

    panels = [
        FieldPanel("source"),
        MultiFieldPanel(
            [FieldPanel("agency"), FieldPanel("include_agency"), FieldPanel("include_below")], heading=_("Sites")
        ),
        MultiFieldPanel(
            [FieldPanel("policy"), FieldPanel("deadline_rule"), FieldPanel("starts_at"), FieldPanel("enabled")],
            heading=_("Policy"),
        ),
        MultiFieldPanel([FieldPanel("only_citing"), FieldPanel("only_topic")], heading=_("Filters")),
    ]

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["source", "agency"]
        constraints = [models.UniqueConstraint(fields=["source", "agency"], name="news57_one_subscription_per_agency")]

    def __str__(self):
        return f"{self.agency} ← {self.source}"

    def save(self, *args, **kwargs):
        # Stored canonical, so "57- -NQ/TW" and "57-NQ/TW" filter alike.
        parsed = DocumentCode.parse(self.only_citing) if self.only_citing else None
        self.only_citing = parsed.key if parsed else self.only_citing.strip()
        super().save(*args, **kwargs)

    def queue_backfill(self):
        """Mark the backfill queued from the first document: a widened subscription may need any of them again."""
        fields = {
            "backfill_state": BackfillState.QUEUED,
            "backfill_cursor": None,
            "backfill_done": 0,
            "backfill_total": None,
            "backfill_started_at": None,
            "backfill_finished_at": None,
            "backfill_error": "",
        }
        Subscription.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def admits(self, document):
        """Whether the filters let this document through."""
        if self.only_citing and self.only_citing != document.code_key and self.only_citing not in document.cited_codes:
            return False
        if self.only_topic_id and not any(topic.pk == self.only_topic_id for topic in document.topics.all()):
            return False
        return True
