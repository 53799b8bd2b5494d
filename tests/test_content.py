"""Every public change bumps the content version of the sites that show it, after commit, and says what changed."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from wagtail.models import PageViewRestriction

from news57 import content
from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus, Topic

pytestmark = pytest.mark.django_db

OWN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-content"}}


@pytest.fixture(autouse=True)
def own_cache():
    # A location of its own, cleared: another module's entries must not decide these versions.
    with override_settings(CACHES=OWN_CACHE):
        cache.clear()
        yield


@pytest.fixture
def sent():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    content.content_changed.connect(receiver)
    yield received
    content.content_changed.disconnect(receiver)


def versions(platform, *slugs):
    return {slug: content.version(platform[slug].site.pk) for slug in slugs}


def document(platform, code="211/KH-UBND"):
    return DirectiveDocument.objects.create(
        code=code, title=f"Kế hoạch {code}", issuer=platform["langson"].agency, issued_on=date(2025, 8, 1)
    )


def test_the_version_stays_the_same_until_something_changes(platform):
    first = versions(platform, "langson", "hoangvanthu")
    assert versions(platform, "langson", "hoangvanthu") == first


def test_publishing_a_page_bumps_its_sites_version_only_after_commit(platform, django_capture_on_commit_callbacks, sent):
    before = versions(platform, "langson", "hoangvanthu")
    page = ArticlePage(title="Tin mới về chuyển đổi số", lead="Tóm tắt")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        platform["langson"].section.add_child(instance=page)
        page.save_revision().publish()
        assert versions(platform, "langson", "hoangvanthu") == before
    assert callbacks
    after = versions(platform, "langson", "hoangvanthu")
    assert after["langson"] != before["langson"]
    assert after["hoangvanthu"] == before["hoangvanthu"]
    assert sent[-1]["pages"] == [(platform["langson"].site.pk, page.pk)]


def test_a_rolled_back_change_bumps_nothing(platform, django_capture_on_commit_callbacks, sent):
    doc, before = document(platform), versions(platform, "langson")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Publication.objects.create(document=doc, site=platform["langson"].site, status=PublicationStatus.PUBLISHED)
            raise RuntimeError("the fan-out failed half-way")
    assert callbacks == []
    assert versions(platform, "langson") == before
    assert sent == []


@pytest.mark.parametrize("write", ["save", "bulk_create", "update"])
def test_every_way_of_writing_a_publication_bumps_its_site(platform, django_capture_on_commit_callbacks, sent, write):
    doc, site = document(platform), platform["hoangvanthu"].site
    if write == "update":
        Publication.objects.create(document=doc, site=site, status=PublicationStatus.QUEUED)
    before = versions(platform, "hoangvanthu", "langson")
    with django_capture_on_commit_callbacks(execute=True):
        if write == "save":
            Publication.objects.create(document=doc, site=site, status=PublicationStatus.PUBLISHED)
        elif write == "bulk_create":
            Publication.objects.bulk_create([Publication(document=doc, site=site, status=PublicationStatus.PUBLISHED)])
        else:
            Publication.objects.filter(document=doc, site=site).update(status=PublicationStatus.PUBLISHED)
    after = versions(platform, "hoangvanthu", "langson")
    assert after["hoangvanthu"] != before["hoangvanthu"]
    assert after["langson"] == before["langson"]
    assert sent[-1]["publications"] == [(site.pk, doc.pk)]


def test_a_fan_out_in_bulk_is_one_signal_for_all_its_sites(platform, django_capture_on_commit_callbacks, sent):
    doc = document(platform)
    sites = [platform[slug].site for slug in ("langson", "thanhtra-langson", "hoangvanthu")]
    with django_capture_on_commit_callbacks(execute=True):
        Publication.objects.bulk_create(
            [Publication(document=doc, site=site, status=PublicationStatus.PUBLISHED) for site in sites]
        )
    assert len(sent) == 1
    assert sent[0]["sites"] == sorted(site.pk for site in sites)


def test_editing_a_documents_text_bumps_every_site_that_carries_it(platform, django_capture_on_commit_callbacks, sent):
    doc = document(platform)
    Publication.objects.create(document=doc, site=platform["hoangvanthu"].site, status=PublicationStatus.PUBLISHED)
    Publication.objects.create(document=doc, site=platform["langson"].site, status=PublicationStatus.QUEUED)
    before = versions(platform, "hoangvanthu", "langson")
    doc.summary = "Tóm tắt đã sửa"
    with django_capture_on_commit_callbacks(execute=True):
        doc.save()
    after = versions(platform, "hoangvanthu", "langson")
    assert after["hoangvanthu"] != before["hoangvanthu"]
    # Queued there, never shown: nothing to refresh.
    assert after["langson"] == before["langson"]


def test_renaming_a_topic_bumps_every_site(platform, django_capture_on_commit_callbacks, sent):
    topic = Topic.objects.create(name="Chuyển đổi số")
    before = versions(platform, "hoangvanthu", "langson")
    topic.name = "Chuyển đổi số quốc gia"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    after = versions(platform, "hoangvanthu", "langson")
    assert all(after[slug] != before[slug] for slug in after)
    assert sent[-1]["everything"] is True


@pytest.mark.parametrize("change", ["made private", "made public again"])
def test_a_page_made_private_or_public_bumps_every_site_showing_it_as_a_whole(
    platform, django_capture_on_commit_callbacks, sent, change
):
    section = platform["langson"].section
    if change == "made public again":
        restriction = PageViewRestriction.objects.create(page=section, restriction_type="login")
    before = versions(platform, "langson", "hoangvanthu")
    with django_capture_on_commit_callbacks(execute=True):
        if change == "made private":
            PageViewRestriction.objects.create(page=section, restriction_type="password", password="bí mật")
        else:
            restriction.delete()
    after = versions(platform, "langson", "hoangvanthu")
    assert after["langson"] != before["langson"] and after["hoangvanthu"] == before["hoangvanthu"]
    assert sent[-1]["whole_sites"] == [platform["langson"].site.pk]


def test_a_site_renamed_bumps_it_as_a_whole(platform, django_capture_on_commit_callbacks, sent):
    site = platform["langson"].site
    before = versions(platform, "langson", "hoangvanthu")
    site.site_name = "Cổng thông tin tỉnh Lạng Sơn"
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    after = versions(platform, "langson", "hoangvanthu")
    assert after["langson"] != before["langson"] and after["hoangvanthu"] == before["hoangvanthu"]
    assert sent[-1]["whole_sites"] == [site.pk] and sent[-1]["everything"] is False


def test_an_evicted_version_comes_back_higher_never_repeating_an_old_one(platform, django_capture_on_commit_callbacks):
    site = platform["langson"].site
    first = content.version(site.pk)
    cache.delete(content.SITE_KEY.format(site.pk))
    with django_capture_on_commit_callbacks(execute=True):
        content.changed(sites=[site.pk])
    second = content.version(site.pk)
    assert int(second.split(".")[1]) > int(first.split(".")[1])


def test_a_write_readers_do_not_see_bumps_nothing(platform, django_capture_on_commit_callbacks, sent):
    doc, site = document(platform), platform["hoangvanthu"].site
    publication = Publication.objects.create(document=doc, site=site, status=PublicationStatus.QUEUED)
    before = versions(platform, "hoangvanthu")
    with django_capture_on_commit_callbacks(execute=True):
        Publication.objects.filter(pk=publication.pk).update(warning_sent_at=publication.obligated_at)
        publication.save(update_fields=["warning_sent_at"])
    assert versions(platform, "hoangvanthu") == before
    assert sent == []
