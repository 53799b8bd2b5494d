from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and its `load_demo` command: an app of its own so the product never depends on it."""

    name = "news57.demo"
    label = "news57_demo"
    verbose_name = "news57 demo"
