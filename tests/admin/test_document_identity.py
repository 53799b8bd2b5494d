"""A document is one (code, year, issuer): entering it again in the admin is a form error in Vietnamese, never a 500."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from news57.models import DirectiveDocument

DOCUMENTS = DirectiveDocument.snippet_viewset


def document_url(name, document=None):
    return reverse(DOCUMENTS.get_url_name(name), args=[document.pk] if document else [])


def document_form(issuer, **overrides):
    return nested_form_data(
        {
            "code": "211/KH-UBND",
            "doc_type": "KH",
            "issuer": issuer.pk,
            "signer": "",
            "title": "Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn",
            "summary": "",
            "issued_on": "2025-08-12",
            "effective_on": "",
            "body": rich_text("<p>Nội dung</p>"),
            "attachments": inline_formset([]),
            "legal_status": "in_force",
            "replaced_by": "",
            "source_url": "",
            "source_published_at": "",
            **overrides,
        }
    )


@pytest.fixture
def langson(platform):
    return platform["langson"].agency


@pytest.fixture
def plan(langson):
    return DirectiveDocument.objects.create(
        code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND ngày 12/8/2025", issuer=langson, entered_by=langson,
        issued_on=date(2025, 8, 12),
    )


@pytest.fixture
def langson_editor(client, editor_of):
    client.force_login(editor_of("langson"))
    return client


def duplicate_message(plan):
    with translation.override("vi"):
        return translation.gettext("Document %(code)s of %(year)s issued by %(issuer)s is already recorded.") % {
            "code": "211/KH-UBND", "year": 2025, "issuer": plan.issuer,
        }


@pytest.mark.parametrize("written", ["211/KH-UBND", "211 / kh-ubnd", "Số 211/KH-UBND"])
def test_entering_a_recorded_document_again_is_a_form_error(written, plan, langson, langson_editor):
    response = langson_editor.post(document_url("add"), document_form(langson, code=written))
    assert response.status_code == 200
    assert duplicate_message(plan) in response.content.decode()
    assert DirectiveDocument.objects.count() == 1


def test_the_same_number_of_another_year_or_issuer_is_another_document(plan, langson, platform, langson_editor):
    for code, issued_on, issuer in (
        ("211/KH-UBND", "2026-01-05", langson),
        ("211/KH-UBND", "2025-08-12", platform["laichau"].agency),
    ):
        response = langson_editor.post(document_url("add"), document_form(issuer, code=code, issued_on=issued_on))
        assert response.status_code == 302, response.context["form"].errors
    assert DirectiveDocument.objects.count() == 3


def test_saving_a_recorded_document_again_is_no_duplicate_of_itself(plan, langson, langson_editor):
    response = langson_editor.post(document_url("edit", plan), document_form(langson, summary="Đã bổ sung"))
    assert response.status_code == 302, response.context["form"].errors
    plan.refresh_from_db()
    assert plan.summary == "Đã bổ sung"
