"""Directive documents exist once; each site's publication of one is a row of its own."""

import hashlib
from datetime import date, datetime, timedelta, timezone

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from wagtail.documents import get_document_model

from news57.republishing import actions
from news57.models import DirectiveDocument, DocumentAttachment, Publication, PublicationLogEntry, PublicationStatus

PLAN_TITLE = (
    "Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn thực hiện Quyết định số 1169/QĐ-TTg "
    "của Thủ tướng Chính phủ và Nghị quyết số 57-NQ/TW"
)


@pytest.fixture
def plan(platform):
    return DirectiveDocument.objects.create(
        code="211/KH-UBND",
        title=PLAN_TITLE,
        issuer=platform["langson"].agency,
        entered_by=platform["langson"].agency,
        issued_on=date(2025, 8, 12),
    )


def test_the_code_is_normalised_and_the_year_taken_from_the_issue_date(plan):
    assert plan.code_key == "211/KH-UBND"
    assert plan.number == "211" and plan.year == 2025
    assert plan.doc_type == "KH"


def test_codes_cited_in_the_title_are_recorded_apart_from_the_own_code(plan):
    assert plan.cited_codes == ["1169/QĐ-TTg", "57-NQ/TW"]


def test_a_misspelt_code_is_stored_as_written_and_keyed_canonically(platform):
    document = DirectiveDocument.objects.create(
        code="57- -nq/tw", title="Nghị quyết về đột phá phát triển khoa học", issuer=platform["bo-chinh-tri"].agency,
        issued_on=date(2024, 12, 22),
    )  # fmt: skip
    assert document.code == "57- -nq/tw" and document.code_key == "57-NQ/TW"


def test_without_a_code_field_the_own_code_comes_from_the_title(platform):
    document = DirectiveDocument.objects.create(title=PLAN_TITLE, issuer=platform["langson"].agency)
    assert document.code_key == "211/KH-UBND" and document.year == 2025


def test_slugs_are_ascii_and_unique_even_for_the_same_code_of_two_provinces(platform):
    first = DirectiveDocument.objects.create(
        code="56/KH-UBND", title="Kế hoạch", issuer=platform["langson"].agency, issued_on=date(2025, 2, 21)
    )
    second = DirectiveDocument.objects.create(
        code="56/KH-UBND", title="Kế hoạch", issuer=platform["laichau"].agency, issued_on=date(2025, 3, 1)
    )
    assert first.slug == "56-kh-ubnd-2025"
    assert second.slug != first.slug and second.slug.startswith("56-kh-ubnd-2025")


def test_the_same_code_year_and_issuer_cannot_be_stored_twice(plan, platform):
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectiveDocument.objects.create(
            code="211/KH-UBND", title="Bản sao", issuer=platform["langson"].agency, issued_on=date(2025, 9, 1)
        )


def test_numbering_restarts_each_year_so_the_same_code_of_another_year_is_another_document(plan, platform):
    other = DirectiveDocument.objects.create(
        code="211/KH-UBND", title="Kế hoạch năm sau", issuer=platform["langson"].agency, issued_on=date(2026, 8, 1)
    )
    assert other.pk != plan.pk and other.year == 2026


def test_one_document_on_two_sites_is_two_publications_of_one_document(plan, platform, leader_of):
    actions.republish(plan, platform["langson"].site, leader_of("langson"))
    actions.republish(plan, platform["hoangvanthu"].site, leader_of("hoangvanthu"))
    assert DirectiveDocument.objects.count() == 1
    assert set(plan.publications.values_list("site__hostname", flat=True)) == {
        "langson.localhost",
        "hoangvanthu.localhost",
    }


def test_the_database_refuses_a_second_publication_on_the_same_site(plan, platform):
    Publication.objects.create(document=plan, site=platform["langson"].site)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(document=plan, site=platform["langson"].site)


def test_republishing_twice_keeps_one_live_publication_and_its_first_time(plan, platform, leader_of):
    leader = leader_of("langson")
    first = actions.republish(plan, platform["langson"].site, leader)
    again = actions.republish(plan, platform["langson"].site, leader)
    assert Publication.objects.count() == 1
    assert again.published_at == first.published_at and again.is_live


def test_every_publication_action_lands_in_the_audit_log(plan, platform, leader_of):
    leader = leader_of("langson")
    publication = actions.republish(plan, platform["langson"].site, leader)
    actions.withdraw(publication, leader, "Văn bản đã hết hiệu lực")
    queued = Publication.objects.create(document=plan, site=platform["hoangvanthu"].site)
    actions.decline(queued, leader_of("hoangvanthu"), "Không thuộc phạm vi của xã")
    logged = list(PublicationLogEntry.objects.order_by("timestamp").values_list("action", "user__username"))
    assert logged == [
        (actions.PUBLISH, "langson-leader"),
        (actions.WITHDRAW, "langson-leader"),
        (actions.DECLINE, "hoangvanthu-leader"),
    ]


def test_a_decline_needs_a_reason(plan, platform, leader_of):
    queued = Publication.objects.create(document=plan, site=platform["langson"].site)
    with pytest.raises(actions.PublicationRefused):
        actions.decline(queued, leader_of("langson"), "   ")
    queued.refresh_from_db()
    assert queued.status == PublicationStatus.QUEUED


def test_only_a_live_publication_can_be_withdrawn(plan, platform, leader_of):
    queued = Publication.objects.create(document=plan, site=platform["langson"].site)
    with pytest.raises(actions.PublicationRefused):
        actions.withdraw(queued, leader_of("langson"), "Nhầm lẫn")


def test_a_withdrawn_publication_remembers_that_it_was_live(plan, platform, leader_of):
    leader = leader_of("langson")
    publication = actions.republish(plan, platform["langson"].site, leader)
    publication = actions.withdraw(publication, leader, "Thay thế bằng kế hoạch mới")
    assert publication.was_live and not publication.is_live and publication.reason == "Thay thế bằng kế hoạch mới"


def test_on_time_compares_going_live_with_the_due_time(plan, platform):
    due = datetime(2025, 8, 13, 12, 0, tzinfo=timezone.utc)
    on_time = Publication(document=plan, site=platform["langson"].site, due_at=due, published_at=due)
    late = Publication(document=plan, site=platform["langson"].site, due_at=due, published_at=due + timedelta(seconds=1))
    waiting = Publication(document=plan, site=platform["langson"].site, due_at=due)
    assert on_time.is_on_time is True and late.is_on_time is False and waiting.is_on_time is None


def test_an_attachment_keeps_the_sha256_and_size_of_its_bytes(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4\n% Ban trinh dien\n%%EOF\n"
    file = get_document_model().objects.create(title="Kế hoạch 211", file=ContentFile(content, name="211-kh-ubnd.pdf"))
    attachment = DocumentAttachment.objects.create(document=plan, file=file, is_signed=True)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
