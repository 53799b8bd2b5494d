"""How long a site has to carry a document (DeadlineRule) and the days the calendar gets wrong (CalendarDay)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel

# Long enough for any plan's deadline, short enough that counting it can never run past the calendar.
MAX_WORKING_DAYS = 60
MAX_HOURS = 24 * 60


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    HOURS = "hours", _("Calendar hours")


class DeadlineClock(models.TextChoices):
    """What starts the clock of an obligation."""

    ISSUER = "issuer", _("Publication by the issuer")
    SOURCE = "source", _("Arrival on the subscribed source")


def describe_terms(unit, amount, clock):
    """ "5 ngày làm việc, tính từ khi cơ quan ban hành công bố" for a rule or a publication's stored copy of one."""
    if not unit or not amount:
        return ""
    if unit == DeadlineUnit.WORKING_DAYS:
        span = ngettext("%(count)d working day", "%(count)d working days", amount) % {"count": amount}
    else:
        span = ngettext("%(count)d hour", "%(count)d hours", amount) % {"count": amount}
    if clock == DeadlineClock.SOURCE:
        return _("%(span)s from its arrival on the subscribed source") % {"span": span}
    return _("%(span)s from its publication by the issuer") % {"span": span}


class DeadlineRule(models.Model):
    """How long a site has to carry a document once its obligation begins, counted as the law counts it.

    Publications keep a copy of the terms (name, unit, amount, clock) they were given, so
    changing a rule never rewrites a due time already stored.
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    unit = models.CharField(
        _("counted in"), max_length=20, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING_DAYS
    )
    amount = models.PositiveSmallIntegerField(
        _("how many"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The Law on Access to Information (104/2016/QH13, art. 18(4)) gives 5 working days where nothing "
            "stricter applies; a province may set 1 working day or 24 hours."
        ),
    )
    clock = models.CharField(
        _("the clock starts at"), max_length=20, choices=DeadlineClock.choices, default=DeadlineClock.ISSUER
    )

    panels = [FieldPanel("name"), FieldPanel("unit"), FieldPanel("amount"), FieldPanel("clock")]

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        limit = MAX_WORKING_DAYS if self.unit == DeadlineUnit.WORKING_DAYS else MAX_HOURS
        if self.amount and self.amount > limit:
            raise ValidationError({"amount": _("At most %(limit)d for this unit.") % {"limit": limit}})

    @property
    def terms(self):
        """What a publication stores of this rule, as it is now."""
        return {
            "deadline_rule": self.name[:255],
            "deadline_unit": self.unit,
            "deadline_amount": self.amount,
            "deadline_clock": self.clock,
        }

    @property
    def description(self):
        return describe_terms(self.unit, self.amount, self.clock)


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "off", _("Day off")
    WORKING_DAY = "working", _("Working day")


class CalendarDay(models.Model):
    """A day the administrator declares off or working, over what the holidays calendar says.

    For the Tết break as actually granted, an extra day off, or a make-up Saturday. Counting
    reads these rows whenever it runs, so a day takes effect from the moment it is saved.
    """

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("the day is"), max_length=10, choices=CalendarDayKind.choices)
    reason = models.CharField(
        _("reason"), max_length=255, help_text=_("E.g. the notice that grants it, with its number and date.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [FieldPanel("day"), FieldPanel("kind"), FieldPanel("reason")]

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"
