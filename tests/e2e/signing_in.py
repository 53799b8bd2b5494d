"""Signing in to the admin in the browser, as a person does."""

from django.urls import reverse


def sign_in(page, live_server, username, password):
    """Sign in through the admin's own login form, as a person would."""
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
