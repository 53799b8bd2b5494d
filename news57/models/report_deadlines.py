"""When an agency's periodic report is due, and to whom (ReportDeadline): the dates the province's plans set.

Kept as rows so an administrator changes a date without a release. A row is one
date a year (or one day every month): "before 10 June and 10 December" is two
rows. news57.promptness.report_calendar counts the occurrences.
"""

import calendar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

# A common year: a date due every year cannot be 29 February.
_COMMON_YEAR = 2025
# The days every month has: the most a monthly report may name.
DAYS_IN_EVERY_MONTH = 28


class ReportFrequency(models.TextChoices):
    MONTH = "month", _("Monthly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


class ReportCovers(models.TextChoices):
    """Which period a report due on a date reports on."""

    CURRENT = "current", _("The period the due date falls in")
    PREVIOUS = "previous", _("The period before the due date")


class ReportDeadline(models.Model):
    """One date by which an agency (and, if it says so, every agency below it) sends a periodic report."""

    agency = models.ForeignKey(
        "news57.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="report_deadlines",
        help_text=_("The agency whose report it is."),
    )
    covers_subordinates = models.BooleanField(
        _("also every agency below it"),
        default=False,
        help_text=_("E.g. a plan that sets the date for all the province's agencies, departments and communes."),
    )
    recipient = models.CharField(
        _("sent to"), max_length=255, help_text=_("E.g. Sở Khoa học và Công nghệ tỉnh Lạng Sơn.")
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=ReportFrequency.choices)
    day = models.PositiveSmallIntegerField(
        _("due day"), validators=[MinValueValidator(1), MaxValueValidator(31)], help_text=_("The day of the month.")
    )
    month = models.PositiveSmallIntegerField(
        _("due month"),
        null=True,
        blank=True,
        choices=list(MONTHS.items()),
        help_text=_("Empty for a monthly report; for a half-yearly or yearly one, the month the date falls in."),
    )
    covers = models.CharField(
        _("reports on"),
        max_length=20,
        choices=ReportCovers.choices,
        default=ReportCovers.CURRENT,
        help_text=_(
            "A report due on 10 June covers the half-year the date falls in; one due on 5 January, the half-year "
            "before it."
        ),
    )
    basis = models.TextField(
        _("set by"), blank=True, help_text=_("The plan or document that sets this date, with its number and date.")
    )

    panels = [
        # A list of the user's own agencies (news57.admin.scoped narrows it), not the chooser of every agency.
        FieldPanel("agency", widget=forms.Select),
        FieldPanel("covers_subordinates"),
        FieldPanel("recipient"),
        MultiFieldPanel(
            [FieldPanel("frequency"), FieldRowPanel([FieldPanel("day"), FieldPanel("month")]), FieldPanel("covers")],
            heading=_("Due date"),
        ),
        FieldPanel("basis"),
    ]

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["agency__name", "frequency", "month", "day", "pk"]

    def __str__(self):
        return f"{self.agency} → {self.recipient}: {self.get_frequency_display()}, {self.when}"

    @property
    def when(self):
        """The date in words: "ngày 10 tháng 6", "ngày 15 hằng tháng"."""
        if self.frequency == ReportFrequency.MONTH or not self.month:
            return gettext("day %(day)d of every month") % {"day": self.day}
        return gettext("day %(day)d of month %(month)d") % {"day": self.day, "month": self.month}

    def clean(self):
        errors = {}
        if self.frequency == ReportFrequency.MONTH:
            if self.month:
                errors["month"] = _("A monthly report is due every month: leave the month empty.")
            elif self.day and self.day > DAYS_IN_EVERY_MONTH:
                errors["day"] = _("Not every month has a day %(day)d: a monthly report needs a day from 1 to 28.") % {
                    "day": self.day}  # fmt: skip
        elif self.frequency and not self.month:
            errors["month"] = _("Choose the month the date falls in: only a monthly report goes without one.")
        elif self.month and self.day:
            days = calendar.monthrange(_COMMON_YEAR, self.month)[1]
            if self.day > days:
                errors["day"] = _("Month %(month)d has no day %(day)d.") % {"month": self.month, "day": self.day}
        if not errors and self.covers == ReportCovers.CURRENT and self._opens_its_period():
            errors["covers"] = _(
                "A report due so early in the period the date falls in would cover a period barely begun: "
                "choose the period before the due date."
            )
        if errors:
            raise ValidationError(errors)

    def _opens_its_period(self):
        """Whether the date opens the period it falls in: 5 January reports the half-year before it, not this one."""
        if self.frequency == ReportFrequency.MONTH:
            return self.day == 1
        if self.frequency == ReportFrequency.HALF_YEAR:
            return self.month in (1, 7)
        return self.month == 1
