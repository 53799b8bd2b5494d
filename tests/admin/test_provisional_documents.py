"""A commune editor entering a Politburo resolution through the admin form gets a provisional document, and is told."""

import pytest
from django.urls import reverse

from test_document_identity import document_form

from news57.models import DirectiveDocument, Publication

DOCUMENTS = DirectiveDocument.snippet_viewset


@pytest.fixture
def commune_editor(client, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    return client


def enter_resolution(client, platform):
    form = document_form(
        platform["bo-chinh-tri"].agency,
        code="999-NQ/TW",
        doc_type="NQ",
        title="Nghị quyết số 999-NQ/TW ngày 20/11/2026 của Bộ Chính trị",
        issued_on="2026-11-20",
    )
    return client.post(reverse(DOCUMENTS.get_url_name("add")), form, follow=True)


def test_a_document_entered_under_an_issuer_the_agency_is_not_authoritative_for_is_saved_provisional(
    commune_editor, platform
):
    response = enter_resolution(commune_editor, platform)

    document = DirectiveDocument.objects.get(code_key="999-NQ/TW")
    assert document.is_provisional and document.entered_by == platform["hoangvanthu"].agency
    assert any("là bản tạm" in str(message) for message in response.context["messages"])


def test_a_document_entered_under_the_agencys_own_name_is_not_provisional(commune_editor, platform):
    form = document_form(platform["hoangvanthu"].agency, code="12/KH-UBND", title="Kế hoạch số 12/KH-UBND ngày 3/3/2025")
    response = commune_editor.post(reverse(DOCUMENTS.get_url_name("add")), form, follow=True)

    assert not DirectiveDocument.objects.get(code_key="12/KH-UBND").is_provisional
    assert not any("là bản tạm" in str(message) for message in response.context["messages"])


def test_the_provisional_document_can_go_on_the_entering_agencys_own_site(commune_editor, platform):
    enter_resolution(commune_editor, platform)
    document = DirectiveDocument.objects.get(code_key="999-NQ/TW")
    site = platform["hoangvanthu"].site

    commune_editor.post(reverse(DOCUMENTS.get_url_name("republish"), args=[document.pk]), {"site": site.pk})

    assert Publication.objects.filter(document=document, site=site, status="published").exists()
