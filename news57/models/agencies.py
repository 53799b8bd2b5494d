from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Site
from wagtail.search import index

from .. import content
from ..text import slugify


# Held by superusers only: naming who is authoritative for an issuer decides whose text three thousand sites carry.
AUTHORITY_PERMISSION = "news57.set_authority"


class AgencyLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    COMMUNE = "commune", _("Commune")


class AgencyQuerySet(models.QuerySet):
    def of_member(self, user):
        """The agencies whose editor or leader group the user is in."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(editors__user=user) | Q(leaders__user=user)).distinct()


class Agency(index.Indexed, models.Model):
    """A body that runs a site here or issues documents (Bộ Chính trị has no site)."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices)
    code_issuer = models.CharField(
        _("issuer part of its codes"),
        max_length=30,
        blank=True,
        help_text=_("How its document codes name it, after the type: UBND in 211/KH-UBND, TTg in 1169/QĐ-TTg."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agency",
    )
    editors = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editor group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_agency",
    )
    leaders = models.OneToOneField(
        "auth.Group",
        verbose_name=_("leader group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_agency",
    )
    supervisors = models.OneToOneField(
        "auth.Group",
        verbose_name=_("supervisor group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_province",
        help_text=_("For a province: the group that watches all its agencies, read-only."),
    )
    administrators = models.OneToOneField(
        "auth.Group",
        verbose_name=_("administrator group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="administered_province",
        help_text=_("For a province: the group that manages its agencies' sources and subscriptions."),
    )

    authoritative_for = models.ManyToManyField(
        "self",
        verbose_name=_("also authoritative for"),
        symmetrical=False,
        blank=True,
        related_name="authorities",
        help_text=_(
            "Issuers, besides this agency and those below it, whose documents this agency publishes the canonical "
            "text of (the central portal for the Politburo, the Government and the Prime Minister)."
        ),
    )

    objects = AgencyQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("level"),
        FieldPanel("code_issuer"),
        FieldPanel("parent"),
        FieldPanel("site"),
        FieldPanel("editors"),
        FieldPanel("leaders"),
        FieldPanel("supervisors"),
        FieldPanel("administrators"),
        FieldPanel("authoritative_for", permission=AUTHORITY_PERMISSION),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        permissions = [
            ("view_supervision", _("Can watch the agencies of a province")),
            ("set_authority", _("Can name the issuers an agency or source is authoritative for")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.short_name or self.name)[:100]
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            # Its name heads its site and names it as issuer on documents everywhere.
            content.changed(everything=True)
        if self.site_id:
            # The public pages head with the site's name (read with the site, no query of its own).
            Site.objects.filter(pk=self.site_id).exclude(site_name=self.name).update(site_name=self.name)

    @property
    def province(self):
        """The province this agency belongs to (itself for a province), or None."""
        agency = self
        while agency is not None:
            if agency.level == AgencyLevel.PROVINCE:
                return agency
            agency = agency.parent
        return None

    def authority_ids(self):
        """The issuers whose canonical text this agency publishes: itself, every agency below it, those named."""
        ids = set(self.below_ids())
        if self.pk is not None:
            ids.update(self.authoritative_for.values_list("pk", flat=True))
        return ids

    def is_authoritative_for(self, issuer):
        return getattr(issuer, "pk", issuer) in self.authority_ids()

    def below_ids(self):
        """This agency's id and those of every agency below it."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Agency.objects.filter(parent_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
            )
            ids.update(frontier)
        return ids

    def province_agencies(self):
        """Every agency under this province, itself included."""
        return Agency.objects.filter(pk__in=self.below_ids())


class Topic(models.Model):
    """KHCN, ĐMST, CĐS…: editable in the admin as a snippet."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:150]
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            content.changed(everything=True)

    def delete(self, *args, **kwargs):
        content.changed(everything=True)
        return super().delete(*args, **kwargs)
