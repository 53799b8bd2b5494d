"""`manage.py recompute_deadlines`: the admin's recompute from a terminal, refusing bad input with exit code 2."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from news57.models import DeadlineRule, DirectiveDocument, Publication, PublicationLogEntry, Source, Subscription
from news57.promptness.recompute import RECOMPUTED

pytestmark = pytest.mark.django_db
DUE = datetime(2025, 3, 10, 9, 45, tzinfo=UTC)


@pytest.fixture
def publication(platform, make_user):
    make_user("quantri", superuser=True)
    rule = DeadlineRule.objects.create(name="Năm ngày", unit="working_days", amount=5)
    source = Source.objects.create(
        name="Nguồn", url="https://ls.example.vn/rss", level="province", default_issuer=platform["langson"].agency
    )
    subscription = Subscription.objects.create(
        source=source, agency=platform["hoangvanthu"].agency, deadline_rule=rule, starts_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    plan = DirectiveDocument.objects.create(code="211/KH-UBND", title="Kế hoạch 211", issuer=platform["langson"].agency)
    return Publication.objects.create(
        document=plan, site=platform["hoangvanthu"].site, subscription=subscription, due_at=DUE,
        obligated_at=datetime(2025, 3, 7, 9, 45, tzinfo=UTC), source_time=datetime(2025, 3, 7, 9, 45, tzinfo=UTC),
    )  # fmt: skip


def due(publication):
    publication.refresh_from_db()
    return publication.due_at


def test_the_command_recomputes_the_period_of_one_agency_and_logs_it(publication, capsys):
    call_command("recompute_deadlines", "--from", "2025-03-01", "--to", "2025-03-31", "--user", "quantri",
                 "--agency", "hoangvanthu")  # fmt: skip
    assert due(publication) == datetime(2025, 3, 14, 9, 45, tzinfo=UTC)
    assert PublicationLogEntry.objects.filter(publication=publication, action=RECOMPUTED).count() == 1
    assert "1/1" in capsys.readouterr().out


def test_another_agency_s_period_is_left_alone(publication):
    call_command("recompute_deadlines", "--from", "2025-03-01", "--to", "2025-03-31", "--user", "quantri",
                 "--agency", "langson")  # fmt: skip
    assert due(publication) == DUE


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--from", "2025-13-01", "--to", "2025-12-31", "--user", "quantri"], "không phải là ngày"),
        (["--from", "2025-03-31", "--to", "2025-03-01", "--user", "quantri"], "trước ngày bắt đầu"),
        (["--from", "2025-03-01", "--to", "2025-03-31", "--user", "ai-do"], "ai-do"),
        (["--from", "2025-03-01", "--to", "2025-03-31", "--user", "quantri", "--agency", "khong-co"], "khong-co"),
    ],
    ids=["month 13", "reversed", "no such superuser", "no such agency"],
)
def test_bad_input_is_refused_with_exit_code_2_and_changes_nothing(publication, arguments, message):
    with pytest.raises(CommandError) as refused:
        call_command("recompute_deadlines", *arguments)
    assert refused.value.returncode == 2 and message in str(refused.value)
    assert due(publication) == DUE
