from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class News57Config(AppConfig):
    name = "news57"
    verbose_name = _("Resolution 57 news")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401
