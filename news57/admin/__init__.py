"""Every admin screen; news57/wagtail_hooks.py registers them with Wagtail, news57.access decides who sees what."""
