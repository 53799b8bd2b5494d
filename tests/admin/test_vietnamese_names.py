"""Names gettext cannot reach read in Vietnamese where editors see them: the workflow on the submit button, the
root collection, the app's name in Wagtail's page types report (docs/glossary.md, last table)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Collection, Task, Workflow

from news57.models import SectionPage

pytestmark = pytest.mark.django_db
renaming = importlib.import_module("news57.migrations.0014_workflow_names")


def test_the_editor_s_submit_button_reads_as_sending_for_review(client, platform, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    section = SectionPage.objects.descendant_of(platform["hoangvanthu"].site.root_page).first()
    page = client.get(reverse("wagtailadmin_pages:add", args=["news57", "articlepage", section.pk])).content.decode()
    assert "Gửi duyệt theo Quy trình duyệt tin – UBND xã Hoàng Văn Thụ" in page
    assert "Thực hiện" not in page and "Submit to" not in page


def test_older_workflow_names_are_renamed_as_a_process_and_back(platform):
    Workflow.objects.create(name="Phê duyệt – UBND xã Mẫu")
    renaming.forwards(apps, None)
    assert Workflow.objects.filter(name="Quy trình duyệt tin – UBND xã Mẫu").exists()
    assert not Workflow.objects.filter(name__startswith="Phê duyệt – ").exists()
    renaming.backwards(apps, None)
    assert Workflow.objects.filter(name="Phê duyệt – UBND xã Mẫu").exists()


def test_wagtail_s_own_names_are_given_in_vietnamese(platform):
    assert Collection.get_first_root_node().name == "Thư mục gốc"
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def test_the_page_types_report_names_the_app_not_its_label(client, make_user):
    client.force_login(make_user("quan-tri", superuser=True))
    page = client.get(reverse("wagtailadmin_reports:page_types_usage")).content.decode()
    assert "Tin tức Nghị quyết 57" in page and "news57.articlepage" not in page
