"""The embedded broker hands a worker a message whole or not at all (cms/broker.py)."""

import os
import time
from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection
from kombu.exceptions import ChannelError

from cms.broker import Transport
from cms.celery import app


@pytest.fixture
def channel(tmp_path):
    folders = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path)}
    with Connection("filesystem://", transport=Transport, transport_options=folders) as connection:
        yield connection.default_channel


def test_the_embedded_broker_is_ours_when_no_broker_is_named():
    if settings.CELERY_BROKER_URL != "filesystem://":
        pytest.skip(f"this pass names a broker ({settings.CELERY_BROKER_URL.partition(':')[0]})")
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)


def test_a_message_being_written_is_not_yet_in_the_queue(channel, tmp_path, monkeypatch):
    seen = {}
    rename = os.replace

    def look_then_rename(source, target):
        # The moment before the message is put in place: a worker polling now finds nothing to take.
        seen["files"] = sorted(os.listdir(tmp_path))
        with pytest.raises(Empty):
            channel._get("tasks")
        rename(source, target)

    monkeypatch.setattr(os, "replace", look_then_rename)
    channel._put("tasks", {"body": "x" * 100_000})
    assert len(seen["files"]) == 1 and seen["files"][0].endswith(".tasks.msg.part")
    assert channel._get("tasks") == {"body": "x" * 100_000}
    assert os.listdir(tmp_path) == []


def test_a_message_that_cannot_be_written_leaves_nothing_behind(channel, tmp_path, monkeypatch):
    def refuse(source, target):
        raise PermissionError("read-only")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ChannelError):
        channel._put("tasks", {"body": "x"})
    assert os.listdir(tmp_path) == []


def test_a_partial_message_left_by_a_stopped_process_is_removed_by_the_next_channel(tmp_path):
    stale, fresh, message = (tmp_path / ".1_a.tasks.msg.part", tmp_path / ".2_b.tasks.msg.part", tmp_path / "3_c.tasks.msg")
    for path in (stale, fresh, message):
        path.write_bytes(b"{")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    folders = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path)}
    with Connection("filesystem://", transport=Transport, transport_options=folders) as connection:
        assert connection.default_channel.data_folder_out == str(tmp_path)
    # One being written now, and every message, stay.
    assert sorted(os.listdir(tmp_path)) == sorted([fresh.name, message.name])
