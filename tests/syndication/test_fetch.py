"""The guarded fetcher against a real local HTTP server (pytest-httpserver).

The server listens on 127.0.0.1, which the fetcher refuses unless allowed, so
tests name it in allow_hosts. Refusals of private and metadata addresses must
happen before any connection: the `no_outbound` fixture makes any attempt to
connect anywhere but loopback fail the test, so nothing ever leaves the machine.
"""

import gzip
import socket
import threading
import time
import tracemalloc
import zlib

import pytest
from werkzeug import Response as WResponse

from news57.syndication.fetch import FetchError, Validators, fetch

FEED = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title></channel></rss>'



@pytest.fixture
def allow(httpserver):
    return [f"localhost:{httpserver.port}", f"127.0.0.1:{httpserver.port}"]


def url(httpserver, path):
    return f"http://127.0.0.1:{httpserver.port}{path}"


def error_of(*args, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(*args, **kwargs)
    return info.value


def test_a_feed_is_fetched_with_its_body_type_and_validators(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_data(
        FEED,
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": "Sat, 23 Aug 2025 07:05:00 GMT"},
    )
    response = fetch(url(httpserver, "/feed"), allow_hosts=allow)
    assert response.status == 200
    assert not response.not_modified
    assert response.body == FEED
    assert response.content_type == "application/rss+xml; charset=utf-8"
    assert response.validators == Validators('"v1"', "Sat, 23 Aug 2025 07:05:00 GMT")
    assert response.url == url(httpserver, "/feed")


def test_the_request_names_the_reader_and_accepts_compression(httpserver, allow):
    seen = {}

    def handler(request):
        seen.update(request.headers)
        return WResponse(FEED)

    httpserver.expect_request("/feed").respond_with_handler(handler)
    fetch(url(httpserver, "/feed"), allow_hosts=allow)
    assert seen["User-Agent"] == "news57/1.0 (+feed reader)"
    assert "gzip" in seen["Accept-Encoding"]


def conditional_handler(request):
    if request.headers.get("If-None-Match") == '"v1"' and request.headers.get(
        "If-Modified-Since"
    ) == "Sat, 23 Aug 2025 07:05:00 GMT":
        return WResponse(status=304, headers={"ETag": '"v1"'})
    return WResponse(
        FEED, headers={"ETag": '"v1"', "Last-Modified": "Sat, 23 Aug 2025 07:05:00 GMT"}
    )


def test_an_unchanged_feed_costs_one_304_with_an_empty_body(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_handler(conditional_handler)
    first = fetch(url(httpserver, "/feed"), allow_hosts=allow)
    second = fetch(url(httpserver, "/feed"), first.validators, allow_hosts=allow)
    assert second.status == 304
    assert second.not_modified
    assert second.body == b""
    assert second.validators == first.validators
    assert len(httpserver.log) == 2


def test_a_gzip_body_is_decompressed(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_data(
        gzip.compress(FEED), headers={"Content-Encoding": "gzip"}
    )
    assert fetch(url(httpserver, "/feed"), allow_hosts=allow).body == FEED


def test_a_deflate_body_is_decompressed(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_data(
        zlib.compress(FEED), headers={"Content-Encoding": "deflate"}
    )
    assert fetch(url(httpserver, "/feed"), allow_hosts=allow).body == FEED


def test_a_corrupt_gzip_body_is_a_decompression_error(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_data(
        b"this is not gzip at all", headers={"Content-Encoding": "gzip"}
    )
    assert error_of(url(httpserver, "/feed"), allow_hosts=allow).reason == "decompression"


def gzip_bomb(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros) for _ in range(megabytes)]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_a_gzip_bomb_fails_as_too_large_without_using_much_memory(httpserver, allow):
    bomb = gzip_bomb(200)
    assert len(bomb) < 1024 * 1024  # 200 MB of zeros in a few hundred KB
    httpserver.expect_request("/feed").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}
    )
    tracemalloc.start()
    try:
        error = error_of(url(httpserver, "/feed"), allow_hosts=allow, max_bytes=2 * 1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "too_large"
    assert "quá lớn" in error.message
    assert peak < 30 * 1024 * 1024


def test_a_content_length_over_the_limit_fails_before_the_body_is_read(httpserver, allow):
    # The server announces 1 MiB but sends 100 bytes: reading the body first
    # would end as "truncated", so "too_large" shows the header decided.
    httpserver.expect_request("/feed").respond_with_handler(
        lambda request: WResponse(iter([b"x" * 100]), headers={"Content-Length": str(1024 * 1024)})
    )
    error = error_of(url(httpserver, "/feed"), allow_hosts=allow, max_bytes=10 * 1024)
    assert error.reason == "too_large"


def test_a_body_shorter_than_its_content_length_is_truncated(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_handler(
        lambda request: WResponse(iter([b"x" * 100]), headers={"Content-Length": "5000"})
    )
    assert error_of(url(httpserver, "/feed"), allow_hosts=allow).reason == "truncated"


def test_a_body_over_the_limit_without_content_length_fails(httpserver, allow):
    def body():
        for _ in range(100):
            yield b"x" * 1024

    httpserver.expect_request("/feed").respond_with_handler(lambda request: WResponse(body()))
    error = error_of(url(httpserver, "/feed"), allow_hosts=allow, max_bytes=10 * 1024)
    assert error.reason == "too_large"


def test_redirects_are_followed_and_the_final_url_reported(httpserver, allow):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/middle"})
    httpserver.expect_request("/middle").respond_with_data(
        "", status=302, headers={"Location": url(httpserver, "/feed")}
    )
    httpserver.expect_request("/feed").respond_with_data(FEED)
    response = fetch(url(httpserver, "/old"), allow_hosts=allow)
    assert response.body == FEED
    assert response.url == url(httpserver, "/feed")


def test_a_redirect_loop_ends_as_too_many_redirects(httpserver, allow):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    error = error_of(url(httpserver, "/a"), allow_hosts=allow, max_redirects=5)
    assert error.reason == "too_many_redirects"
    assert len(httpserver.log) == 6  # the first request and five redirects, no more


def test_a_redirect_to_the_metadata_address_is_refused(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    error = error_of(url(httpserver, "/feed"), allow_hosts=allow)
    assert error.reason == "forbidden_address"
    assert "169.254.169.254" in error.message


def test_a_redirect_to_another_loopback_port_not_allowed_is_refused(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_data(
        "", status=307, headers={"Location": f"http://127.0.0.2:{httpserver.port}/admin"}
    )
    error = error_of(url(httpserver, "/feed"), allow_hosts=allow)
    assert error.reason == "forbidden_address"
    assert error.message == "Địa chỉ bị chặn: 127.0.0.2 là địa chỉ nội bộ (loopback)."


def test_loopback_is_refused_when_not_allowed(httpserver):
    httpserver.expect_request("/feed").respond_with_data(FEED)
    error = error_of(url(httpserver, "/feed"), allow_hosts=[])
    assert error.reason == "forbidden_address"
    assert len(httpserver.log) == 0


def test_allowing_a_host_on_another_port_does_not_allow_this_one(httpserver):
    httpserver.expect_request("/feed").respond_with_data(FEED)
    error = error_of(url(httpserver, "/feed"), allow_hosts=[f"127.0.0.1:{httpserver.port + 1}"])
    assert error.reason == "forbidden_address"


@pytest.mark.parametrize(
    "address, shown",
    [
        ("http://2130706433/", "127.0.0.1"),  # decimal
        ("http://0177.0.0.1/", "127.0.0.1"),  # octal
        ("http://0x7f.1/", "127.0.0.1"),  # hex, short form
        ("http://127.1/", "127.0.0.1"),  # short form
        ("http://[::1]/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),  # IPv4-mapped IPv6
        ("http://[::ffff:a9fe:a9fe]/", "::ffff:169.254.169.254"),  # mapped metadata
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://172.16.5.4/", "172.16.5.4"),
        ("http://192.168.1.1/", "192.168.1.1"),
        ("http://100.64.0.1/", "100.64.0.1"),  # shared (carrier-grade NAT)
        ("http://169.254.169.254/", "169.254.169.254"),  # cloud metadata
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://224.0.0.1/", "224.0.0.1"),  # multicast
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("http://localhost/", "127.0.0.1"),
        ("http://demo.localhost:8000/", "127.0.0.1"),
    ],
)
def test_internal_addresses_are_refused_before_any_connection(address, shown):
    error = error_of(address, allow_hosts=[])
    assert error.reason == "forbidden_address"
    assert error.message.startswith(f"Địa chỉ bị chặn: {shown} là ")


def test_localhost_subdomains_resolve_to_loopback_with_their_host_header(httpserver):
    seen = {}

    def handler(request):
        seen["host"] = request.headers["Host"]
        return WResponse(FEED)

    httpserver.expect_request("/feed").respond_with_handler(handler)
    address = f"http://demo.localhost:{httpserver.port}/feed"
    response = fetch(address, allow_hosts=[f"demo.localhost:{httpserver.port}"])
    assert response.body == FEED
    assert seen["host"] == f"demo.localhost:{httpserver.port}"


def test_the_allow_list_is_read_from_the_environment_at_call_time(httpserver, monkeypatch):
    httpserver.expect_request("/feed").respond_with_data(FEED)
    address = f"http://demo.localhost:{httpserver.port}/feed"
    monkeypatch.delenv("NEWS57_FETCH_ALLOW_HOSTS", raising=False)
    assert error_of(address).reason == "forbidden_address"
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"other.localhost, demo.localhost:{httpserver.port}")
    assert fetch(address).body == FEED


@pytest.mark.parametrize(
    "address",
    ["ftp://example.org/feed.xml", "file:///etc/passwd", "gopher://example.org/", "http:///feed", "http://a b/"],
)
def test_only_http_and_https_urls_are_fetched(address):
    assert error_of(address, allow_hosts=[]).reason == "bad_url"


def test_a_server_error_is_an_http_status_error(httpserver, allow):
    httpserver.expect_request("/feed").respond_with_data("oops", status=500)
    error = error_of(url(httpserver, "/feed"), allow_hosts=allow)
    assert error.reason == "http_status"
    assert error.status == 500
    assert "500" in error.message


def test_a_slow_server_times_out_within_the_total_timeout(httpserver, allow):
    def slow(request):
        time.sleep(1.5)
        return WResponse(FEED)

    httpserver.expect_request("/feed").respond_with_handler(slow)
    started = time.monotonic()
    error = error_of(url(httpserver, "/feed"), allow_hosts=allow, timeout=(0.5, 0.5))
    assert error.reason == "timeout"
    assert time.monotonic() - started < 1.2


def test_a_server_dripping_its_body_times_out_within_the_total_timeout(httpserver, allow):
    def drip():
        for _ in range(8):
            time.sleep(0.15)
            yield b"<"

    httpserver.expect_request("/feed").respond_with_handler(lambda request: WResponse(drip()))
    started = time.monotonic()
    error = error_of(url(httpserver, "/feed"), allow_hosts=allow, timeout=(0.5, 0.5))
    assert error.reason == "timeout"
    assert time.monotonic() - started < 1.0


def test_a_closed_port_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = error_of(f"http://127.0.0.1:{port}/feed", allow_hosts=[f"127.0.0.1:{port}"], timeout=(1, 2))
    assert error.reason == "connection"
    assert str(port) in error.message


@pytest.fixture
def dripping_headers_server():
    """A raw server that sends its status line and headers one byte every
    0.1 s, for at most 3 s: each byte keeps a socket timeout from firing."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(5)

    def serve():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            header = b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"a" * 100
            for byte in header[:30]:
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    thread.join(timeout=5)
    listener.close()


def test_a_server_dripping_its_headers_times_out_within_the_total_timeout(dripping_headers_server):
    port = dripping_headers_server
    started = time.monotonic()
    error = error_of(
        f"http://127.0.0.1:{port}/feed", allow_hosts=[f"127.0.0.1:{port}"], timeout=(0.5, 0.8)
    )
    assert error.reason == "timeout"
    assert time.monotonic() - started < 1.3
