"""An agency's editors and leaders are e-mailed once when a queued document has used three quarters of its time,
and once when it is overdue; in Vietnamese, with a link to the approval queue, never twice, even from two ticks
at once, and a failed send is tried again at the next tick.

The cast: the province publishes an 8-hour plan at 08:00 on 14/8/2025; xã Hoàng Văn Thụ must carry it by 16:00,
so it is warned at 14:00; Lạng Sơn's own site carries other plans.
"""

import email
import email.policy
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from cms.celery import app as celery_app
from news57.models import DeadlineClock, DeadlineUnit, DirectiveDocument, Publication, PublicationStatus
from news57.promptness import warnings
from news57.promptness.tasks import send_deadline_warnings
from news57.promptness.warnings import Sent, send_warnings

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2025, 8, 14, 8, 0, tzinfo=VN)
DUE = START + timedelta(hours=8)
THREE_QUARTERS = START + timedelta(hours=6)
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def member(make_user):
    """A user in these groups with an e-mail address (name@example.vn unless told)."""

    def make(name, *groups, email=None, is_active=True):
        user = make_user(name, *groups)
        user.email = f"{name}@example.vn" if email is None else email
        user.is_active = is_active
        user.save()
        return user

    return make


@pytest.fixture
def commune(platform, member):
    """xã Hoàng Văn Thụ with one editor and one leader to tell."""
    setup = platform["hoangvanthu"]
    member("htv-editor", setup.editors)
    member("htv-leader", setup.leaders)
    return setup


def plan(platform, number="211", title=None):
    langson = platform["langson"].agency
    return DirectiveDocument.objects.create(
        code=f"{number}/KH-UBND", title=title or f"Kế hoạch số {number}/KH-UBND về chuyển đổi số", issuer=langson
    )


def queued(platform, setup, number="211", **fields):
    fields = {
        "obligated_at": START, "due_at": DUE, "deadline_rule": "8 giờ", "deadline_unit": DeadlineUnit.HOURS,
        "deadline_amount": 8, "deadline_clock": DeadlineClock.ISSUER, **fields,
    }  # fmt: skip
    return Publication.objects.create(document=plan(platform, number), site=setup.site, **fields)


def subjects():
    return [message.subject for message in mail.outbox]


def html_of(message):
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    return html


# When


def test_nothing_is_sent_before_three_quarters_of_the_time_have_gone(platform, commune):
    queued(platform, commune)
    assert send_warnings(now=THREE_QUARTERS - timedelta(seconds=1)) == Sent()
    assert mail.outbox == []


def test_the_warning_goes_out_when_three_quarters_of_the_time_have_gone(platform, commune):
    publication = queued(platform, commune)
    assert send_warnings(now=THREE_QUARTERS) == Sent(warnings=1)
    assert subjects() == ["1 văn bản sắp đến hạn đăng tải – Ủy ban nhân dân xã Hoàng Văn Thụ"]
    publication.refresh_from_db()
    assert (publication.warning_sent_at, publication.overdue_sent_at) == (THREE_QUARTERS, None)


def test_the_warning_goes_out_once_over_two_ticks(platform, commune):
    queued(platform, commune)
    send_warnings(now=THREE_QUARTERS)
    assert send_warnings(now=THREE_QUARTERS + timedelta(minutes=5)) == Sent()
    assert len(mail.outbox) == 1


def test_the_overdue_notice_goes_out_once_when_the_due_time_passes(platform, commune):
    publication = queued(platform, commune)
    send_warnings(now=THREE_QUARTERS)
    assert send_warnings(now=DUE) == Sent(overdue=1)
    assert send_warnings(now=DUE + timedelta(minutes=5)) == Sent()
    assert subjects()[1:] == ["1 văn bản quá hạn đăng tải – Ủy ban nhân dân xã Hoàng Văn Thụ"]
    publication.refresh_from_db()
    assert (publication.warning_sent_at, publication.overdue_sent_at) == (THREE_QUARTERS, DUE)


def test_a_publication_first_seen_overdue_gets_only_the_overdue_notice(platform, commune):
    publication = queued(platform, commune)
    late = DUE + timedelta(hours=1)
    assert send_warnings(now=late) == Sent(overdue=1)
    assert send_warnings(now=late + timedelta(minutes=5)) == Sent()
    assert subjects() == ["1 văn bản quá hạn đăng tải – Ủy ban nhân dân xã Hoàng Văn Thụ"]
    publication.refresh_from_db()
    assert (publication.warning_sent_at, publication.overdue_sent_at) == (late, late)


@pytest.mark.parametrize(
    "fields",
    [
        {"is_backfill": True},
        {"status": PublicationStatus.PUBLISHED, "published_at": START},
        {"status": PublicationStatus.DECLINED},
        {"status": PublicationStatus.WITHDRAWN},
        {"due_at": None},
    ],
    ids=["backfill", "published", "declined", "withdrawn", "without-a-due-time"],
)
def test_only_a_queued_publication_that_can_be_late_is_warned(platform, commune, fields):
    queued(platform, commune, **fields)
    assert send_warnings(now=THREE_QUARTERS) == Sent()
    assert send_warnings(now=DUE) == Sent()
    assert mail.outbox == []


def test_a_publication_decided_after_its_warning_gets_no_overdue_notice(platform, commune):
    publication = queued(platform, commune)
    send_warnings(now=THREE_QUARTERS)
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.PUBLISHED, published_at=DUE)
    assert send_warnings(now=DUE + timedelta(hours=1)) == Sent()


# Who


def test_the_e_mail_goes_to_the_agency_s_active_editors_and_leaders_with_an_address(platform, member):
    commune, province = platform["hoangvanthu"], platform["langson"]
    member("editor", commune.editors)
    member("leader", commune.leaders)
    member("both", commune.editors, commune.leaders)
    member("namesake", commune.editors, email="Editor@example.vn")
    member("gone", commune.editors, is_active=False)
    member("no-address", commune.leaders, email="")
    member("province-editor", province.editors)
    member("province-supervisor", province.supervisors)
    queued(platform, commune)

    send_warnings(now=THREE_QUARTERS)

    (message,) = mail.outbox
    # Once per address, however spelt: one of the two spellings of editor@.
    assert sorted(address.lower() for address in message.to) == [
        "both@example.vn", "editor@example.vn", "leader@example.vn",
    ]  # fmt: skip


def test_each_site_gets_its_own_e_mail_listing_all_its_documents(platform, commune, member):
    province = platform["langson"]
    member("province-editor", province.editors)
    queued(platform, commune, "211")
    queued(platform, commune, "212")
    queued(platform, province, "213")

    assert send_warnings(now=THREE_QUARTERS) == Sent(warnings=2)

    by_recipient = {tuple(sorted(message.to)): message for message in mail.outbox}
    to_commune = by_recipient["htv-editor@example.vn", "htv-leader@example.vn"]
    to_province = by_recipient[("province-editor@example.vn",)]
    assert to_commune.subject.startswith("2 văn bản")
    assert "211/KH-UBND" in to_commune.body and "212/KH-UBND" in to_commune.body
    assert "213/KH-UBND" not in to_commune.body
    assert "213/KH-UBND" in to_province.body and "211/KH-UBND" not in to_province.body


def test_a_site_with_nobody_to_tell_is_left_unmarked_until_someone_is_added(platform, member):
    commune = platform["hoangvanthu"]
    publication = queued(platform, commune)
    member("no-address", commune.editors, email="")

    assert send_warnings(now=THREE_QUARTERS) == Sent()
    publication.refresh_from_db()
    assert publication.warning_sent_at is None

    member("new-editor", commune.editors)
    assert send_warnings(now=THREE_QUARTERS + timedelta(minutes=5)) == Sent(warnings=1)
    assert mail.outbox[0].to == ["new-editor@example.vn"]


# What


def test_the_e_mail_is_in_vietnamese_even_when_english_is_active(platform, commune):
    queued(platform, commune)
    with translation.override("en"):
        send_warnings(now=THREE_QUARTERS)
        assert translation.get_language() == "en"

    (message,) = mail.outbox
    assert message.subject == "1 văn bản sắp đến hạn đăng tải – Ủy ban nhân dân xã Hoàng Văn Thụ"
    for text in (message.body, html_of(message)):
        assert "Kính gửi các biên tập viên và lãnh đạo của Ủy ban nhân dân xã Hoàng Văn Thụ," in text
        assert "1 văn bản đang chờ phê duyệt sắp đến hạn đăng tải:" in text
        assert "211/KH-UBND – Kế hoạch số 211/KH-UBND về chuyển đổi số" in text
        assert "Hạn đăng tải: 14/08/2025 16:00 (giờ Việt Nam)" in text
        assert "Thời hạn theo quy định: 8 giờ, tính từ khi cơ quan ban hành công bố" in text


def test_the_overdue_notice_says_the_documents_are_overdue(platform, commune):
    queued(platform, commune)
    send_warnings(now=DUE)
    (message,) = mail.outbox
    assert "1 văn bản đang chờ phê duyệt đã quá hạn đăng tải:" in message.body
    assert "sắp đến hạn đăng tải:" not in message.body


def test_the_due_time_is_shown_in_vietnam_time_whatever_the_active_zone(platform, commune):
    queued(platform, commune)
    with timezone.override("UTC"):
        send_warnings(now=THREE_QUARTERS)
    assert "Hạn đăng tải: 14/08/2025 16:00 (giờ Việt Nam)" in mail.outbox[0].body


@override_settings(WAGTAILADMIN_BASE_URL="https://news57.example.vn/")
def test_the_e_mail_links_to_the_approval_queue_by_its_absolute_address(platform, commune):
    queued(platform, commune)
    send_warnings(now=THREE_QUARTERS)
    (message,) = mail.outbox
    assert "https://news57.example.vn/admin/queue/" in message.body
    assert 'href="https://news57.example.vn/admin/queue/"' in html_of(message)


def test_a_hostile_title_is_escaped_in_the_html_and_left_as_text_in_the_plain_body(platform, commune):
    document = plan(platform, "214", title='Kế hoạch <script>alert("x")</script> & "số"')
    Publication.objects.create(document=document, site=commune.site, obligated_at=START, due_at=DUE)
    send_warnings(now=THREE_QUARTERS)
    (message,) = mail.outbox
    assert "<script>" not in html_of(message)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;số&quot;" in html_of(message)
    assert 'Kế hoạch <script>alert("x")</script> & "số"' in message.body


# When sending fails


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_smtp_server_sends_nothing_marks_nothing_and_the_next_tick_sends(platform, commune, caplog):
    publication = queued(platform, commune)
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed_port(), EMAIL_TIMEOUT=2):
        assert send_warnings(now=DUE) == Sent(failed=1)
    publication.refresh_from_db()
    assert (publication.warning_sent_at, publication.overdue_sent_at) == (None, None)
    (record,) = [record for record in caplog.records if record.name == "news57.promptness.warnings"]
    assert record.exc_info and "Hoàng Văn Thụ" in record.getMessage()

    assert send_warnings(now=DUE + timedelta(minutes=5)) == Sent(overdue=1)
    assert len(mail.outbox) == 1


class FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: refuses the addresses in server.refuse, keeps what it accepts."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 fake ESMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in self.server.refuse:
                    self.reply("550 No such user here")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                time.sleep(self.server.delay)
                self.server.received.append(email.message_from_bytes(data, policy=email.policy.default))
                self.reply("250 Queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


@pytest.fixture
def smtp_server():
    """A loopback SMTP server, and the settings that send to it."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSmtp)
    server.daemon_threads = True
    server.refuse, server.received, server.delay = set(), [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=server.server_address[1],
                           EMAIL_TIMEOUT=10):  # fmt: skip
        yield server
    server.shutdown()
    server.server_close()


def test_a_refused_e_mail_is_unmarked_and_the_other_sites_e_mails_still_go_out(platform, commune, member, smtp_server):
    province = platform["langson"]
    member("province-editor", province.editors)
    refused = queued(platform, commune, "211")
    delivered = queued(platform, province, "213")
    smtp_server.refuse = {"htv-editor@example.vn", "htv-leader@example.vn"}

    assert send_warnings(now=THREE_QUARTERS) == Sent(warnings=1, failed=1)

    (message,) = smtp_server.received
    assert message["To"] == "province-editor@example.vn"
    assert "213/KH-UBND" in message.get_body(("plain",)).get_content()
    refused.refresh_from_db()
    delivered.refresh_from_db()
    assert (refused.warning_sent_at, delivered.warning_sent_at) == (None, THREE_QUARTERS)

    smtp_server.refuse = set()
    assert send_warnings(now=THREE_QUARTERS + timedelta(minutes=5)) == Sent(warnings=1)
    assert "211/KH-UBND" in smtp_server.received[1].get_body(("plain",)).get_content()


# Two ticks at once


def test_a_tick_that_read_before_another_tick_sent_leaves_those_publications_out(platform, commune, monkeypatch):
    queued(platform, commune)
    read = warnings._pending

    def read_then_let_another_tick_run(now):
        pending = read(now)
        monkeypatch.setattr(warnings, "_pending", read)
        assert send_warnings(now=now) == Sent(warnings=1)
        return pending

    monkeypatch.setattr(warnings, "_pending", read_then_let_another_tick_run)
    assert send_warnings(now=THREE_QUARTERS) == Sent()
    assert len(mail.outbox) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a conditional UPDATE waits on another transaction's row lock on PostgreSQL; SQLite locks the whole file",
)
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_send_each_e_mail_once(platform, commune, smtp_server):
    queued(platform, commune, "211")
    queued(platform, commune, "212", obligated_at=START - timedelta(hours=8), due_at=THREE_QUARTERS)
    # A slow server holds the first tick's row locks while the second tick reaches the same rows.
    smtp_server.delay = 0.5
    barrier, results, errors = threading.Barrier(2), [], []

    def tick():
        try:
            barrier.wait()
            results.append(send_warnings(now=THREE_QUARTERS))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors, errors
    assert sorted(message["Subject"].strip() for message in smtp_server.received) == [
        "1 văn bản quá hạn đăng tải – Ủy ban nhân dân xã Hoàng Văn Thụ",
        "1 văn bản sắp đến hạn đăng tải – Ủy ban nhân dân xã Hoàng Văn Thụ",
    ]
    assert sum(sent.warnings for sent in results) == 1 and sum(sent.overdue for sent in results) == 1


# Beat and the task


BEAT_ENTRY = "promptness: deadline warnings"


def test_beat_sends_deadline_warnings_at_the_configured_interval():
    celery_app.finalize()
    entry = celery_app.conf.beat_schedule[BEAT_ENTRY]
    assert entry["task"] == "news57.promptness.send_deadline_warnings"
    assert entry["schedule"] == float(settings.NEWS57_DEADLINE_WARNING_SECONDS)
    assert entry["options"]["expires"] == entry["schedule"]


def test_the_task_is_registered_and_sends_what_is_due(platform, commune):
    now = timezone.now()
    queued(platform, commune, obligated_at=now - timedelta(hours=7), due_at=now + timedelta(hours=1))
    assert "news57.promptness.send_deadline_warnings" in celery_app.tasks
    send_deadline_warnings.apply(throw=True)
    assert len(mail.outbox) == 1


# Settings


def email_settings(**env):
    environ = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    environ.update(DJANGO_SETTINGS_MODULE="cms.settings", **env)
    script = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT)"
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=60
    )


def test_e_mail_goes_to_the_console_unless_a_server_is_named():
    result = email_settings()
    assert result.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"


def test_naming_an_smtp_server_sends_through_it():
    result = email_settings(EMAIL_HOST="smtp.example.vn", EMAIL_USE_TLS="1", EMAIL_TIMEOUT="5")
    assert result.stdout.split() == [SMTP, "smtp.example.vn", "587", "True", "5"]


def test_tls_and_ssl_at_once_are_refused():
    result = email_settings(EMAIL_HOST="smtp.example.vn", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0 and "EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr
