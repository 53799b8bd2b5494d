from django.urls import reverse
from wagtail.admin.localization import get_available_admin_languages


def test_vietnamese_is_offered_as_an_admin_language():
    assert ("vi", "Tiếng Việt") in get_available_admin_languages()


def test_the_admin_login_is_served_in_vietnamese_by_default(client, db):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert 'lang="vi"' in html


def test_an_editor_sees_the_admin_dashboard_in_vietnamese(client, editor_of):
    # Wagtail's own Vietnamese catalogue is partial; its translated strings show.
    client.force_login(editor_of("hoangvanthu"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="vi"' in html and "Trang tổng quan" in html
