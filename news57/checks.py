from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Error(
            "SECRET_KEY is not set in the environment; the key under var/ is for one machine only.",
            hint="Set SECRET_KEY to a long random value in production.",
            id="news57.E001",
        )
    ]
