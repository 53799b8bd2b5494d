"""A subscription's topic filter fires in the product: a document given the topic later is carried then."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from news57.models import DeadlineRule, DirectiveDocument, Publication, Source, SourceEntry, Subscription, Topic


@pytest.fixture
def carried(platform):
    """A provincial plan the province's source carried, and a commune subscribed to that source's digital-transformation topic."""
    langson = platform["langson"].agency
    source = Source.objects.create(name="UBND tỉnh", url="https://langson.example.vn/rss", default_issuer=langson, level="province")
    plan = DirectiveDocument.objects.create(
        code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND", issuer=langson, entered_by=langson, issued_on=date(2025, 8, 12)
    )
    SourceEntry.objects.create(source=source, guid="urn:211", kind="document", document=plan, title=plan.title)
    topic = Topic.objects.create(name="Chuyển đổi số")
    Subscription.objects.create(
        source=source, agency=platform["hoangvanthu"].agency, only_topic=topic, policy="publish",
        deadline_rule=DeadlineRule.objects.create(name="Một ngày", unit="hours", amount=24),
    )
    return plan, topic, platform["hoangvanthu"].site


def edit_form(plan, topics):
    data = nested_form_data(
        {
            "code": plan.code, "doc_type": "KH", "issuer": plan.issuer_id, "signer": "", "title": plan.title,
            "summary": "", "issued_on": "2025-08-12", "effective_on": "", "body": rich_text("<p>Nội dung</p>"),
            "attachments": inline_formset([]), "legal_status": "in_force", "replaced_by": "", "source_url": "",
            "source_published_at": "",
        }
    )
    data["topics"] = [topic.pk for topic in topics]
    return data


def save_in_the_admin(client, plan, topics, capture):
    with capture(execute=True):
        response = client.post(reverse(DirectiveDocument.snippet_viewset.get_url_name("edit"), args=[plan.pk]), edit_form(plan, topics))
    assert response.status_code == 302, response.context["form"].errors


def test_a_document_given_the_subscriptions_topic_is_carried_on_the_subscribers_site(
    carried, client, editor_of, django_capture_on_commit_callbacks
):
    plan, topic, commune_site = carried
    client.force_login(editor_of("langson"))
    save_in_the_admin(client, plan, [], django_capture_on_commit_callbacks)
    assert not Publication.objects.filter(document=plan, site=commune_site).exists()

    save_in_the_admin(client, plan, [topic], django_capture_on_commit_callbacks)
    assert Publication.objects.filter(document=plan, site=commune_site, status="published").count() == 1


def test_a_topic_given_from_the_topics_side_carries_the_document_too(carried, django_capture_on_commit_callbacks):
    plan, topic, commune_site = carried
    with django_capture_on_commit_callbacks(execute=True):
        topic.directivedocument_set.add(plan)
    assert Publication.objects.filter(document=plan, site=commune_site).count() == 1

