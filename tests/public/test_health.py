"""GET /healthz: what monitoring polls to know the database and the broker answer."""

import socket

import pytest


@pytest.fixture
def closed_port():
    # Bind and close: nothing listens there for the rest of the test.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_answers_200_with_json_when_database_and_broker_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_broker_port_is_closed(client, db, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unreachable"}


def test_healthz_answers_503_when_an_amqp_broker_is_closed(client, db, settings, closed_port):
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port}//"
    assert client.get("/healthz").json()["broker"] == "unreachable"


def test_healthz_reports_a_missing_filesystem_broker_folder(client, db, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    missing = str(tmp_path / "gone")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": missing, "data_folder_out": missing}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] == "unreachable"


def test_healthz_is_never_cached(client, db):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-store" in cache_control and "max-age=0" in cache_control


def test_healthz_answers_head_without_a_body(client, db):
    response = client.head("/healthz")
    assert response.status_code == 200 and response.content == b""


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_while_the_cache_is_down(client, db, settings, closed_port):
    settings.CACHES = {"default": {"BACKEND": "news57.redis_cache.Cache", "LOCATION": f"redis://127.0.0.1:{closed_port}/0"}}
    assert client.get("/healthz").status_code == 200
