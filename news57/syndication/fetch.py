"""Fetch one feed (or enclosure) over HTTP so that a hostile or broken server
cannot hurt us.

`fetch(url, validators) -> Response` is a plain function: no database, no
models. It guards against:

- requests to internal addresses (loopback, private, link-local, shared,
  metadata, multicast, reserved), judged on the *resolved* address of every
  hop, and then connecting to exactly that verified address (no second DNS
  lookup, so DNS rebinding cannot swap it), unless the host is named in
  NEWS57_FETCH_ALLOW_HOSTS;
- slow servers (connect timeout, and a total deadline enforced by a watchdog
  that shuts the socket down, so even a slow drip of headers ends);
- big bodies and compression bombs (a cap on bytes read and on bytes
  decompressed);
- redirect loops (a bounded number of hops, each checked again).

Names equal to "localhost" or under ".localhost" resolve to loopback here,
because the system resolver on our machines does not do it (the demo sites
read each other's feeds under such names when allowed).

Only the standard library is used, and Django's translation for the messages.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from news57.source_errors import error_message

USER_AGENT = "news57/1.0 (+feed reader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = (5, 30)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOW_HOSTS_ENV = "NEWS57_FETCH_ALLOW_HOSTS"
CHUNK = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}

# Shared address space (RFC 6598, carrier-grade NAT); also where some clouds
# put their metadata service (Alibaba 100.100.100.200).
SHARED_V4 = ipaddress.ip_network("100.64.0.0/10")
# NAT64 well-known prefix embeds an IPv4 address in its last 32 bits.
NAT64_V6 = ipaddress.ip_network("64:ff9b::/96")
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


@dataclass(frozen=True)
class Validators:
    """What the server told us last time, sent back for a conditional GET."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Response:
    url: str  # final URL, after redirects
    status: int  # 200 or 304
    body: bytes = b""  # decompressed; b"" on 304
    content_type: str = ""  # the full header, charset included
    validators: Validators = field(default_factory=Validators)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A fetch that failed. `reason` is a stable code for programs; `key` and
    `params` name the administrator's message (news57.source_errors),
    worded by `message`; str() is English for logs.

    Reasons: bad_url, forbidden_address, dns, connection, timeout, too_large,
    decompression, too_many_redirects, http_status, bad_response, truncated.
    """

    def __init__(self, reason: str, detail: str, status: int | None = None, *, key: str = "", **params):
        super().__init__(detail)
        self.reason = reason
        self.key = key or reason
        self.params = params
        self.status = status

    @property
    def message(self) -> str:
        return error_message(self.key, self.params)

    def __str__(self) -> str:
        return f"{self.reason}: {self.args[0]}"


# --- allow list ------------------------------------------------------------


def parse_allow_hosts(value) -> list[tuple[str, int | None]]:
    """'a.localhost:8001, example.org, [::1]:80' -> [(host, port or None)]."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    parsed = []
    for item in items:
        item = str(item).strip().lower()
        if not item:
            continue
        host, port = item, None
        if item.startswith("["):  # [v6]:port
            end = item.find("]")
            host, rest = item[1:end], item[end + 1 :]
            if rest.startswith(":") and rest[1:].isdigit():
                port = int(rest[1:])
        elif item.count(":") == 1:
            name, _, maybe_port = item.partition(":")
            if maybe_port.isdigit():
                host, port = name, int(maybe_port)
        parsed.append((host.rstrip("."), port))
    return parsed


def is_allowed(host: str, port: int, allow: list[tuple[str, int | None]]) -> bool:
    host = host.lower().rstrip(".")
    return any(h == host and (p is None or p == port) for h, p in allow)


# --- addresses -------------------------------------------------------------


def is_localhost_name(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def forbidden_kind(address: str) -> str | None:
    """Why this address must not be contacted (a key of its message), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64_V6:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is None and ip.teredo:
            embedded = ip.teredo[1]
        if embedded is not None:
            return forbidden_kind(str(embedded))
    if ip in METADATA_ADDRESSES:
        return "metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link_local"
    if ip.version == 4 and ip in SHARED_V4:
        return "shared"
    if ip.is_private:
        return "private"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


def shown(address: str) -> str:
    """An address as a person recognises it: ::ffff:127.0.0.1, not ::ffff:7f00:1."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        return f"::ffff:{ip.ipv4_mapped}"
    return address


def resolve(host: str, port: int) -> list[str]:
    """All addresses for host, as strings; *.localhost is loopback here."""
    if is_localhost_name(host):
        return ["127.0.0.1", "::1"]
    try:
        return [str(ipaddress.ip_address(host))]  # an IP literal: no lookup
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(
            "dns",
            f"cannot resolve {host}: {exc}",
            host=host,
        ) from exc
    addresses = []
    for info in infos:
        address = info[4][0]
        if address not in addresses:
            addresses.append(address)
    return addresses


def checked_addresses(host: str, port: int, allow) -> list[str]:
    """Resolve host and refuse if ANY of its addresses is internal."""
    addresses = resolve(host, port)
    if is_allowed(host, port, allow):
        return addresses
    for address in addresses:
        kind = forbidden_kind(address)
        if kind:
            raise FetchError(
                "forbidden_address",
                f"{host} resolves to forbidden address {shown(address)} ({kind})",
                key=f"forbidden_{kind}",
                address=shown(address),
            )
    return addresses


# --- URLs ------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA), no brackets
    port: int
    path: str  # request target: path + query, ASCII

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def bad_url(url: str, why: str) -> FetchError:
    return FetchError(
        "bad_url", f"{why}: {url!r}", url=url, why=why
    )


def parse_target(url: str) -> Target:
    if not isinstance(url, str) or any(ord(c) < 33 or ord(c) == 127 for c in url.strip()):
        raise bad_url(str(url), "contains spaces or control characters")
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise bad_url(url, str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise bad_url(url, "only http and https are fetched")
    if not parts.hostname:
        raise bad_url(url, "no host")
    try:
        host = parts.hostname
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise bad_url(url, "host is not a valid domain name") from exc
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    # Keep what is already escaped; escape the rest (non-ASCII paths).
    path = quote(path, safe="!#$%&'()*+,/:;=?@[]~")
    return Target(
        url=url,
        scheme=scheme,
        host=host.lower().rstrip("."),
        port=port or DEFAULT_PORTS[scheme],
        path=path,
    )


# --- connection ------------------------------------------------------------


class PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to an address we already checked: no second
    lookup, the original Host header and, for https, SNI and certificate
    check against the host name."""

    def __init__(self, target: Target, address: str, connect_timeout: float, tls):
        super().__init__(target.host, target.port, timeout=connect_timeout)
        self.address = address
        self.tls = tls
        self.server_name = target.host

    def connect(self):
        sock = socket.create_connection((self.address, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_hostname=self.server_name)
        self.sock = sock


class Watchdog:
    """Shuts the socket down at the deadline, so a server dripping bytes
    (headers included) cannot keep us past the total timeout."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float):
        self.conn = conn
        self.fired = threading.Event()
        self.timer = threading.Timer(max(seconds, 0), self._fire)
        self.timer.daemon = True

    def _fire(self):
        self.fired.set()
        sock = self.conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()


def timeout_error(url: str, total: float) -> FetchError:
    return FetchError(
        "timeout",
        f"no complete answer from {url} within {total:g} s",
        seconds=f"{total:g}",
    )


def connection_error(target: Target, exc: BaseException) -> FetchError:
    return FetchError(
        "connection",
        f"cannot connect to {target.host}:{target.port}: {exc}",
        host=target.host,
        port=target.port,
    )


# --- body ------------------------------------------------------------------


def too_large(max_bytes: int) -> FetchError:
    mib = max_bytes / (1024 * 1024)
    return FetchError(
        "too_large",
        f"body larger than {max_bytes} bytes",
        megabytes=f"{mib:.1f}",
    )


class Decoder:
    """Undo Content-Encoding with a cap on the decompressed size."""

    def __init__(self, encoding: str, max_bytes: int):
        self.encoding = encoding
        self.max_bytes = max_bytes
        self.out = bytearray()
        self.obj = self._new()

    def _new(self):
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)  # zlib-wrapped; raw is tried on error
        return None

    def feed(self, data: bytes):
        if self.obj is None:
            self._append(data)
            return
        try:
            while data:
                room = self.max_bytes - len(self.out) + 1
                self._append(self.obj.decompress(data, room))
                data = self.obj.unconsumed_tail
                if self.obj.eof and self.obj.unused_data:  # another gzip member
                    data = self.obj.unused_data
                    self.obj = self._new()
        except zlib.error as exc:
            if self.encoding == "deflate" and not self.out:
                # Some servers send raw deflate despite the RFC: retry once.
                self.encoding = "raw-deflate"
                self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
                self.feed(data)
                return
            raise FetchError(
                "decompression",
                f"cannot decompress {self.encoding} body: {exc}",
            ) from exc

    def _append(self, data: bytes):
        self.out += data
        if len(self.out) > self.max_bytes:
            raise too_large(self.max_bytes)

    def finish(self) -> bytes:
        if self.obj is not None:
            self._append(self.obj.flush())
            if not self.obj.eof:
                raise FetchError(
                    "decompression",
                    f"{self.encoding} body ends early",
                    key="decompression_truncated",
                )
        return bytes(self.out)


def read_body(resp, sock_holder, deadline: float, max_bytes: int) -> bytes:
    length = resp.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise too_large(max_bytes)
    encoding = (resp.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(
            "decompression",
            f"unsupported Content-Encoding {encoding!r}",
            key="unsupported_encoding",
            encoding=encoding,
        )
    decoder = Decoder(encoding, max_bytes)
    raw = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("total deadline passed")
        if sock_holder.sock is not None:
            sock_holder.sock.settimeout(remaining)
        chunk = resp.read(CHUNK)
        if not chunk:
            break
        raw += len(chunk)
        if raw > max_bytes:
            raise too_large(max_bytes)
        decoder.feed(chunk)
    # http.client's read(amt) returns short at EOF instead of complaining.
    if resp.length:
        raise http.client.IncompleteRead(b"", resp.length)
    return decoder.finish()


# --- fetch -----------------------------------------------------------------


def default_max_bytes() -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, "NEWS57_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    except Exception:  # settings not configured: a plain script
        return DEFAULT_MAX_BYTES


def fetch(
    url: str,
    validators: Validators = Validators(),
    *,
    timeout=DEFAULT_TIMEOUT,
    max_bytes: int | None = None,
    max_redirects: int = 5,
    allow_hosts=None,
) -> Response:
    """GET url, following at most max_redirects redirects, each checked.

    timeout is (connect, total) seconds, or one number for both. allow_hosts
    (a list of "host[:port]" or a comma-separated string) defaults to the
    NEWS57_FETCH_ALLOW_HOSTS environment variable read now.
    """
    connect_timeout, total = timeout if isinstance(timeout, (tuple, list)) else (timeout, timeout)
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    if allow_hosts is None:
        allow_hosts = os.environ.get(ALLOW_HOSTS_ENV, "")
    allow = parse_allow_hosts(allow_hosts)
    deadline = time.monotonic() + total
    current = url
    for _hop in range(max_redirects + 1):
        target = parse_target(current)
        addresses = checked_addresses(target.host, target.port, allow)
        status, headers, body = request_once(
            target, addresses, validators, connect_timeout, total, deadline, max_bytes
        )
        if status in REDIRECT_STATUSES:
            location = headers.get("Location")
            if not location:
                raise FetchError(
                    "bad_response",
                    f"redirect {status} without Location from {current}",
                    status,
                    key="redirect_without_location",
                    code=status,
                )
            current = urljoin(current, location.strip()).split("#", 1)[0]
            continue
        if status == 304:
            return Response(
                url=current,
                status=304,
                body=b"",
                content_type=headers.get("Content-Type", ""),
                validators=Validators(
                    etag=headers.get("ETag") or validators.etag,
                    last_modified=headers.get("Last-Modified") or validators.last_modified,
                ),
            )
        return Response(
            url=current,
            status=status,
            body=body,
            content_type=headers.get("Content-Type", ""),
            validators=Validators(
                etag=headers.get("ETag", ""), last_modified=headers.get("Last-Modified", "")
            ),
        )
    raise FetchError(
        "too_many_redirects",
        f"more than {max_redirects} redirects from {url}",
        count=max_redirects,
    )


def request_once(target, addresses, validators, connect_timeout, total, deadline, max_bytes):
    """One GET to the first reachable verified address: (status, headers, body).
    Redirects and 304 come back with an empty body; other non-200 raise."""
    tls = ssl.create_default_context() if target.scheme == "https" else None
    last_error: BaseException | None = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise timeout_error(target.url, total)
        conn = PinnedConnection(target, address, min(connect_timeout, remaining), tls)
        try:
            with Watchdog(conn, remaining) as watchdog:
                try:
                    conn.connect()
                except ssl.SSLError as exc:  # a bad certificate stays bad on other addresses
                    if watchdog.fired.is_set():
                        raise timeout_error(target.url, total) from exc
                    raise connection_error(target, exc) from exc
                except OSError as exc:
                    if watchdog.fired.is_set() or time.monotonic() >= deadline:
                        raise timeout_error(target.url, total) from exc
                    last_error = exc
                    continue  # try the next address
                try:
                    result = exchange(conn, target, validators, deadline, max_bytes)
                    if watchdog.fired.is_set():  # the body "ended" because we cut it
                        raise timeout_error(target.url, total)
                    return result
                except FetchError:
                    if watchdog.fired.is_set():
                        raise timeout_error(target.url, total) from None
                    raise
                except (socket.timeout, TimeoutError) as exc:
                    raise timeout_error(target.url, total) from exc
                except (http.client.HTTPException, OSError) as exc:
                    if watchdog.fired.is_set() or time.monotonic() >= deadline:
                        raise timeout_error(target.url, total) from exc
                    if isinstance(exc, http.client.IncompleteRead):
                        raise FetchError(
                            "truncated",
                            f"body from {target.url} ends early",
                            key="truncated_body",
                        ) from exc
                    if isinstance(exc, http.client.HTTPException):
                        raise FetchError(
                            "bad_response",
                            f"malformed HTTP answer from {target.url}: {exc!r}",
                        ) from exc
                    raise connection_error(target, exc) from exc
        finally:
            conn.close()
    if isinstance(last_error, socket.timeout):
        raise FetchError(
            "timeout",
            f"connecting to {target.host}:{target.port} timed out",
            key="connect_timeout",
            host=target.host,
            port=target.port,
        )
    raise connection_error(target, last_error or OSError("no address"))


def exchange(conn, target: Target, validators: Validators, deadline: float, max_bytes: int):
    conn.putrequest("GET", target.path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", target.host_header)
    conn.putheader("User-Agent", USER_AGENT)
    conn.putheader("Accept", ACCEPT)
    conn.putheader("Accept-Encoding", "gzip, deflate")
    conn.putheader("Connection", "close")
    if validators.etag:
        conn.putheader("If-None-Match", validators.etag)
    if validators.last_modified:
        conn.putheader("If-Modified-Since", validators.last_modified)
    conn.endheaders()
    resp = conn.getresponse()
    headers = resp.headers
    status = resp.status
    if status in REDIRECT_STATUSES or status == 304:
        return status, headers, b""
    if status != 200:
        raise FetchError(
            "http_status",
            f"HTTP {status} from {target.url}",
            status,
            code=status,
        )
    body = read_body(resp, conn, deadline, max_bytes)
    return status, headers, body
