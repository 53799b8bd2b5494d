import hashlib
from collections import Counter
from types import SimpleNamespace

import pytest
from wagtail.documents import get_document_model

from module_data import module_transaction
from news57.demo.agencies import provision_demo_agencies
from news57.demo.documents import DIRECTIVES, PDF_DIR, load_directives
from news57.demo.users import ensure_users
from news57.models import (
    DirectiveDocument,
    DocumentAttachment,
    LegalStatus,
    Publication,
    PublicationLogEntry,
    PublicationStatus,
)
from news57.republishing.actions import PUBLISH


# Every test here is a database test, so they run together while the module's
# transaction is open, never interleaved with transactional tests.
pytestmark = pytest.mark.django_db

PLAN_CODES = {
    "57-NQ/TW",
    "03/NQ-CP",
    "71/NQ-CP",
    "1169/QĐ-TTg",
    "150-CTr/TU",
    "56/KH-UBND",
    "211/KH-UBND",
    "262/KH-TTr",
    "33/KH-UBND",
    "2653/KH-UBND",
    "618/KH-VPUBND",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's agencies, accounts and documents, the documents loaded twice; rolled back at the module's end."""
    with module_transaction(django_db_blocker, tmp_path_factory):
        with django_db_blocker.unblock():
            setups = provision_demo_agencies(port=80)
            ensure_users(setups)
            first = load_directives(setups)
            after_first = counts()
            second = load_directives(setups)
            after_second = counts()
        yield SimpleNamespace(
            setups=setups, first=first, after_first=after_first, second=second, after_second=after_second
        )


def counts():
    return {
        "directives": DirectiveDocument.objects.count(),
        "attachments": DocumentAttachment.objects.count(),
        "files": get_document_model().objects.count(),
        "publications": Publication.objects.count(),
    }


def document(code):
    return DirectiveDocument.objects.get(code_key=code)


def publications_per_site():
    return Counter(Publication.objects.values_list("site__agency__slug", flat=True))


def test_loading_makes_each_cited_document_once_and_a_second_load_adds_nothing(demo, db):
    assert set(DirectiveDocument.objects.values_list("code_key", flat=True)) == PLAN_CODES
    assert demo.after_first == {"directives": 11, "attachments": 11, "files": 11, "publications": 33}
    assert demo.after_second == demo.after_first
    assert not any(demo.second.values())
    assert demo.first == Counter(directives=11, documents=11, publications=33)


def test_every_document_has_one_signed_pdf_whose_checksum_matches_its_bytes(demo, db):
    for item in DirectiveDocument.objects.all():
        attachment = item.attachments.get()
        with attachment.file.file.open("rb") as handle:
            data = handle.read()
        assert attachment.is_signed and attachment.label == "Bản PDF", item.code
        assert data.startswith(b"%PDF") and len(data) == attachment.size, item.code
        assert attachment.sha256 == hashlib.sha256(data).hexdigest(), item.code


def test_the_pdf_is_in_the_collection_of_the_agency_that_entered_the_document(demo, db):
    for item in DirectiveDocument.objects.select_related("entered_by", "issuer"):
        collection = item.attachments.get().file.collection
        assert item.entered_by.site is not None, item.code
        assert collection == demo.setups[item.entered_by.slug].collection, item.code
        if item.issuer.site is not None:
            assert item.entered_by == item.issuer, item.code


def test_central_documents_were_entered_by_the_central_portal_and_provincial_party_ones_by_the_province(demo, db):
    assert document("57-NQ/TW").entered_by.slug == "trunguong"
    assert document("1169/QĐ-TTg").entered_by.slug == "trunguong"
    assert document("150-CTr/TU").entered_by.slug == "langson"
    assert document("2653/KH-UBND").entered_by.slug == "vpubnd-laichau"
    assert document("262/KH-TTr").entered_by.slug == "thanhtra-langson"


def test_each_site_carries_the_documents_it_would(demo, db):
    assert publications_per_site() == {
        "trunguong": 4,
        "langson": 7,
        "thanhtra-langson": 8,
        "hoangvanthu": 8,
        "vpubnd-laichau": 6,
    }
    assert not Publication.objects.filter(document__code_key="262/KH-TTr").exclude(
        site__agency__slug="thanhtra-langson"
    )
    assert not Publication.objects.filter(document__issuer__slug="laichau", site__agency__slug="langson")
    assert set(
        Publication.objects.filter(document__code_key="57-NQ/TW").values_list("site__agency__slug", flat=True)
    ) == {"trunguong", "langson", "thanhtra-langson", "hoangvanthu", "vpubnd-laichau"}


def test_one_publication_waits_for_the_commune_and_the_rest_are_live(demo, db):
    queued = Publication.objects.get(status=PublicationStatus.QUEUED)
    assert (queued.document.code_key, queued.site.agency.slug) == ("211/KH-UBND", "hoangvanthu")
    assert queued.published_at is None
    assert Publication.objects.filter(status=PublicationStatus.PUBLISHED).count() == 32


def test_live_publications_went_up_after_the_document_was_issued_by_the_sites_editor(demo, db):
    for publication in Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("document"):
        issued = publication.document.issued_on
        assert publication.obligated_at.date() == issued
        assert publication.obligated_at < publication.published_at
        assert publication.published_via == "editor"
        assert publication.published_by.groups.filter(edited_agency__site=publication.site_id).exists()


def test_every_demo_publication_is_due_by_the_province_s_one_working_day_and_knows_if_it_was_in_time(demo, db):
    publications = list(Publication.objects.all())
    assert {(p.deadline_rule, p.deadline_unit, p.deadline_amount) for p in publications} == {
        ("1 ngày làm việc (quy định của tỉnh)", "working_days", 1)
    }
    assert all(p.due_at > p.obligated_at for p in publications)
    live = [p for p in publications if p.status == PublicationStatus.PUBLISHED]
    assert all(p.on_time == (p.first_published_at <= p.due_at) for p in live)
    # Editors of other agencies put a document up days later: some of the demo is late, some on time.
    assert {p.on_time for p in live} == {True, False}


def test_each_demo_publication_is_in_the_audit_log(demo, db):
    logged = PublicationLogEntry.objects.filter(action=PUBLISH).values_list("publication_id", flat=True)
    live = Publication.objects.filter(status=PublicationStatus.PUBLISHED).values_list("pk", flat=True)
    assert set(live) <= set(logged)


def test_the_governments_programme_is_amended_by_resolution_71(demo, db):
    programme = document("03/NQ-CP")
    assert programme.legal_status == LegalStatus.AMENDED
    assert list(programme.amended_by.all()) == [document("71/NQ-CP")]
    assert document("71/NQ-CP").legal_status == LegalStatus.IN_FORCE


def test_the_provincial_plan_cites_the_prime_ministers_decision(demo, db):
    plan = document("211/KH-UBND")
    assert plan.cited_codes == ["1169/QĐ-TTg"]
    assert list(plan.cited_documents()) == [document("1169/QĐ-TTg")]
    assert set(document("56/KH-UBND").cited_codes) == {"57-NQ/TW", "03/NQ-CP", "150-CTr/TU"}


def test_documents_carry_their_issue_date_issuer_summary_body_and_topics(demo, db):
    resolution = document("57-NQ/TW")
    assert (resolution.issuer.slug, str(resolution.issued_on), resolution.year) == ("bo-chinh-tri", "2024-12-22", 2024)
    assert resolution.doc_type == "NQ" and resolution.signer.startswith("T/M Bộ Chính trị")
    for item in DirectiveDocument.objects.all():
        assert item.summary and item.body.count("<p>") >= 2 and item.topics.exists(), item.code
        assert item.latest_revision is not None, item.code


def test_a_publication_an_editor_removed_comes_back_without_duplicating_the_others(demo, db):
    Publication.objects.get(document__code_key="33/KH-UBND").delete()
    created = load_directives(demo.setups)
    assert created == Counter(publications=1)
    assert counts() == demo.after_first


def test_every_demo_pdf_is_committed_small_and_opens_as_a_pdf():
    files = [PDF_DIR / item.filename for item in DIRECTIVES]
    assert len(set(files)) == 11
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:], path.name
        assert len(data) < 100 * 1024, path.name
    assert sum(path.stat().st_size for path in files) < 1024 * 1024
