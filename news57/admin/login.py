"""Wagtail's sign-in form with its password field labelled in the editor's language: Wagtail gives the field no
label, so Django prints the field's name ("Password") in English."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
