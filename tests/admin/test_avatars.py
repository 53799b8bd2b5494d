"""Editors' avatars are their initials drawn here: no admin page asks Gravatar for a picture of anyone."""

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from news57.admin.avatars import avatar_url, initials

pytestmark = pytest.mark.django_db


def test_the_dashboard_names_no_gravatar_and_shows_the_editor_s_initials(client, editor_of):
    editor = editor_of("hoangvanthu")
    editor.first_name, editor.last_name = "Nguyễn Văn", "An"
    editor.save()
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar" not in page.lower()
    assert "data:image/svg+xml," in page and ">NA</text>" in unquote(page)


def named(user, first_name, last_name):
    user.first_name, user.last_name = first_name, last_name
    return user


def test_initials_come_from_the_first_and_last_names_or_the_username(make_user):
    assert initials(named(make_user("an"), "Nguyễn Văn", "An")) == "NA"
    assert initials(named(make_user("binh"), "", "")) == "B"
    assert initials(named(make_user("duc"), "Đức", "")) == "Đ"


def test_a_name_with_markup_stays_text_in_the_drawing(make_user):
    svg = unquote(avatar_url(named(make_user("x"), "<script>", "&")))
    assert "<script>" not in svg and "&lt;&amp;" in svg


def test_an_avatar_the_editor_uploaded_is_shown_instead(make_user, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    user = make_user("co-anh")
    profile = UserProfile.get_for_user(user)
    profile.avatar = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    profile.save()
    assert avatar_url(user) is None


def test_an_entry_no_one_made_gets_wagtail_s_own_default_picture():
    assert avatar_url(None) is None and avatar_url(7) is None
