"""The audit log of publications, kept apart from Wagtail's generic log so it can be scoped by site."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry, BaseLogEntryManager
from wagtail.permissions import policy_registry

from .documents import Publication


class PublicationLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(publication=instance)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(publication=instance)

    def viewable_by_user(self, user):
        """The entries of the publications the user may view: Publication's permission policy (news57.access) says."""
        if user.is_superuser:
            return self.all()
        # No fallback: before news57.access registers its policy, show nothing rather than every site's log.
        policy = policy_registry.get_by_type(Publication, fallback=False)
        if policy is None:
            return self.none()
        visible = policy.instances_user_has_any_permission_for(user, ["view"])
        return self.filter(publication__in=visible.values("pk"))


class PublicationLogEntry(BaseLogEntry):
    # Like PageLogEntry's page: the log outlives the publication it tells of.
    publication = models.ForeignKey(
        Publication, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    objects = PublicationLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("publication log entry")
        verbose_name_plural = _("publication log entries")

    def __str__(self):
        return f"PublicationLogEntry {self.pk}: '{self.action}' on publication {self.publication_id}"

    @cached_property
    def object_id(self):
        return self.publication_id
