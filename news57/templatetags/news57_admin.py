"""Template filters for the admin templates the project overrides."""

from django import template
from django.apps import apps

register = template.Library()


@register.filter
def app_name(app_label):
    """An app's verbose name ("Tin Nghị quyết 57") for its label ("news57"), or the label if no such app."""
    try:
        return apps.get_app_config(app_label).verbose_name
    except LookupError:
        return app_label
