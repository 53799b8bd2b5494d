"""The bytes of a feed, as fetched, turned into entries: `parse(body, url)`.

feedparser does the reading (RSS 0.9x/1.0/2.0, Atom, declared and undeclared
encodings, xml:base); this module decides what to trust of its answer:

- A body that is not a feed (an HTML page, garbage, nothing) raises ParseError
  rather than giving "no entries", so the source shows an error, not a success.
- feedparser's `bozo` flag is set for harmless things (no Content-Type given, an
  encoding declared one way and served another); that alone is no failure.
- A truncated download raises ParseError("truncated"): feedparser would
  otherwise decode a UTF-8 body cut mid-character as windows-1252 (mojibake)
  and return its half-read last entry. The complete entries, decoded as UTF-8,
  ride along on the error (`error.entries`) for a caller that wants them.
- Dates are re-read from the feed's own string (news57.syndication.dates): a
  date without a zone is Vietnam time, where feedparser assumes UTC.
- Text is stored NFC: windows-1258 brings tone marks as combining characters.
  Titles and authors lose the padding feeds wrap them in (newlines, indents,
  &nbsp;, and the zero-width spaces and BOMs pasted text brings), and their
  inner runs of whitespace become one space. Links: feedparser strips the
  whitespace around them before resolving them; what is left must be http(s).
- An entry with neither a title nor a link names nothing to a reader and leads
  nowhere: `named(entries)` leaves such entries out and counts them, with the
  items too empty to be entries at all (`Entries.empty`). parse() itself keeps
  every entry it can read, so what a feed holds can still be looked at.
- HTML is returned raw; news57.syndication.sanitize makes it safe, once, later,
  and makes its links absolute against the entry's link (feedparser's own
  resolver would parse every body a second time: half the cost of parsing).
- The entry's own code comes from its title only (news57.document_codes.own_and_cited):
  a summary that names a code is usually news *about* that document ("Đăng lại
  văn bản…: Quyết định số 1169/QĐ-TTg"), so it must not make the entry that
  document. Cited codes are the title's too.
"""

import hashlib
import html
import io
import re
import xml.parsers.expat
from calendar import timegm
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXParseException

import feedparser

from news57.document_codes import own_and_cited
from news57.source_errors import error_message
from news57.syndication.dates import has_time, has_zone, parse_date
from news57.text import nfc
from news57.vietnam_time import zone as vietnam_zone

NOT_A_FEED = "not_a_feed"
TRUNCATED = "truncated"
MALFORMED = "malformed"
EMPTY = "empty"

_WEB_SCHEMES = ("http", "https")
# Python's str.split() does not count these as space, but they only pad pasted text.
_INVISIBLE = "\u180e\u200b\u200c\u200d\u2060\ufeff"
_SPACE_RUN = re.compile(rf"[{_INVISIBLE}]*\s[\s{_INVISIBLE}]*")
_PADDING = re.compile(rf"^[\s{_INVISIBLE}]+|[\s{_INVISIBLE}]+$")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_CLOSED_ENTRY = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:entry|item)\s*>")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)
_UNFINISHED_END_TAG = re.compile(rb"</[A-Za-z_][\w.:-]*$")
_XML_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Errors expat can only meet at the end of its input: the document stopped early.
_EARLY_END_ERRORS = {
    xml.parsers.expat.errors.codes[message]
    for message in (
        xml.parsers.expat.errors.XML_ERROR_NO_ELEMENTS,
        xml.parsers.expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        xml.parsers.expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
        xml.parsers.expat.errors.XML_ERROR_PARTIAL_CHAR,
    )
}


@dataclass(frozen=True)
class Attachment:
    url: str
    mime_type: str
    length: int | None


@dataclass(frozen=True)
class Entry:
    guid: str  # id/guid, else the link, else a hash of title and body
    link: str  # absolute http(s), or "" when the feed gave none usable
    title: str  # plain text, NFC, whitespace collapsed
    author: str
    summary_html: str  # raw HTML of the content, else the description; NFC
    published_at: datetime | None  # aware UTC; None when the feed gave no date
    own_code: str | None  # DocumentCode key of the title's own code
    cited_codes: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    published_date_only: bool = False  # the date came without a time of day (read as 00:00 Vietnam time)


class Entries(list):
    """parse()'s answer: the entries in feed order, and how many items were `empty` (no id, title, link or body)."""

    def __init__(self, entries=(), empty=0):
        super().__init__(entries)
        self.empty = empty


class ParseError(Exception):
    """Why a body gave no entries: `reason` is a code (a key of news57.source_errors), `message` its words."""

    def __init__(self, reason, entries=()):
        super().__init__(reason)
        self.reason = reason
        # The complete entries of a truncated feed, for a caller that wants them.
        self.entries = list(entries)
        self.key = reason
        self.params = {}

    @property
    def message(self):
        return error_message(self.reason)

    def __str__(self):
        return f"{self.reason}: {self.message}"


def parse(body: bytes, url: str, content_type: str | None = None) -> Entries:
    """The entries of a feed body fetched from url; ParseError when it is no usable feed.

    content_type is the response's Content-Type header when the caller has it
    (its charset then counts, as HTTP says).
    """
    if not body or not body.strip():
        raise ParseError(EMPTY)
    body, cut_mid_character = _without_partial_character(body)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never bytes or str: feedparser treats those as a path or URL to open.
    result = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    if not result.get("version") and not result.entries:
        raise ParseError(NOT_A_FEED if _looks_like_html(body) else MALFORMED)
    if cut_mid_character or _ends_early(result, body):
        # Only entries whose end tag arrived are whole; the last one may be half-read.
        complete = result.entries[: len(_CLOSED_ENTRY.findall(body))]
        raise ParseError(TRUNCATED, entries=_entries(complete, url))
    return _entries(result.entries, url)


def named(entries):
    """(the entries with a title or a link, how many items of the feed had neither): what a poll stores, what it skips."""
    kept = [entry for entry in entries if entry.title or entry.link]
    return kept, len(entries) - len(kept) + getattr(entries, "empty", 0)


def _entries(raw_entries, url):
    parsed = [_entry(raw, url) for raw in raw_entries]
    return Entries([entry for entry in parsed if entry is not None], empty=sum(entry is None for entry in parsed))


def _without_partial_character(body):
    """(body, whether it ended inside a UTF-8 character) — cut to the last whole one.

    Only for a body that is UTF-8 by its own declaration (or by having none), so
    a real windows-1252 body is left to feedparser's detection.
    """
    declared = _XML_ENCODING.match(body.lstrip(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return body, False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(body):
            return body[: error.start], True
    return body, False


def _ends_early(result, body):
    """Whether the XML stops before its root element closes (a cut download).

    A body whose only flaw is its last end tag missing the ">" ("</rss") lost
    nothing, so it counts as complete.
    """
    if not isinstance(result.get("bozo_exception"), SAXParseException):
        return False
    if _expat_error(body) not in _EARLY_END_ERRORS:
        return False
    tail = body.rstrip()
    return not (_UNFINISHED_END_TAG.search(tail[-64:]) and _expat_error(tail + b">") is None)


def _expat_error(body):
    """expat's error code for body, or None when it is well-formed XML."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(body, True)
    except xml.parsers.expat.ExpatError as error:
        return error.code
    except (ValueError, LookupError, RecursionError):
        return -1
    return None


def _looks_like_html(body):
    head = body[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head)) or b"<html" in head.lower()


def _entry(raw, url):
    link = _web_url(raw.get("link"), url)
    title = _plain(raw.get("title"))
    summary_html = _summary_html(raw)
    guid = _text(raw.get("id")) or link or _content_hash(title, summary_html)
    if not guid:
        return None
    own, cited = own_and_cited(title)
    return Entry(
        guid=guid,
        link=link,
        title=title,
        author=_plain(raw.get("author")),
        summary_html=summary_html,
        published_at=_published_at(raw),
        published_date_only=_published_date_only(raw),
        own_code=own.key if own else None,
        cited_codes=tuple(code.key for code in cited),
        attachments=_attachments(raw, url),
    )


def _text(value):
    return nfc(" ".join(value.split())) if isinstance(value, str) else ""


def _plain(value):
    """Text as a reader sees it: tags dropped, entities decoded, padding stripped, spaces collapsed."""
    if not isinstance(value, str):
        return ""
    text = html.unescape(_TAG.sub(" ", value))
    return nfc(_PADDING.sub("", _SPACE_RUN.sub(" ", text)))


def _summary_html(raw):
    """The fullest body the entry carries, as HTML (plain text escaped into it)."""
    candidates = list(raw.get("content") or [])
    if raw.get("summary_detail"):
        candidates.append(raw["summary_detail"])
    elif isinstance(raw.get("summary"), str):
        candidates.append({"value": raw["summary"], "type": "text/html"})
    for detail in candidates:
        value = detail.get("value") if hasattr(detail, "get") else None
        if isinstance(value, str) and value.strip():
            if detail.get("type") == "text/plain":
                value = html.escape(value, quote=False)
            return nfc(value.strip())
    return ""


def _content_hash(title, summary_html):
    if not title and not summary_html:
        return ""
    digest = hashlib.sha256(f"{title}\n{summary_html}".encode("utf-8", "surrogatepass"))
    return f"sha256:{digest.hexdigest()}"


def _web_url(value, base):
    """value made absolute against base, when it is an http(s) URL; else ""."""
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        absolute = urljoin(base, value.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:  # malformed IPv6 netloc and the like
        return ""
    return absolute if scheme in _WEB_SCHEMES and not any(c.isspace() for c in absolute) else ""


def _attachments(raw, url):
    found = {}
    for enclosure in raw.get("enclosures") or []:
        href = _web_url(enclosure.get("href") or enclosure.get("url"), url)
        if not href or href in found:
            continue
        mime_type = (enclosure.get("type") or "").split(";")[0].strip().lower()
        found[href] = Attachment(url=href, mime_type=mime_type, length=_length(enclosure.get("length")))
    return tuple(found.values())


def _length(value):
    try:
        length = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return length if length >= 0 else None


def _published_at(raw):
    """The entry's date as the instant it means, or None when it has none we can read."""
    for key in ("published", "updated", "created"):
        text = raw.get(key)
        if not isinstance(text, str) or not text.strip():
            continue
        moment = parse_date(text)
        if moment is None:
            moment = _feedparser_date(raw.get(f"{key}_parsed"), zoned=has_zone(text))
        if moment is not None:
            return moment
    return None


def _published_date_only(raw):
    """Whether the date _published_at read was written without a time of day."""
    for key in ("published", "updated", "created"):
        text = raw.get(key)
        if isinstance(text, str) and text.strip():
            if parse_date(text) is not None or _feedparser_date(raw.get(f"{key}_parsed"), zoned=True) is not None:
                return not has_time(text)
    return False


def _feedparser_date(parsed, zoned):
    """feedparser's reading of a form we don't know; it assumed UTC when no zone was given."""
    if not parsed:
        return None
    try:
        moment = datetime.fromtimestamp(timegm(parsed), timezone.utc)
    except (OverflowError, ValueError, OSError, TypeError):
        return None
    if not zoned:
        moment = moment.replace(tzinfo=vietnam_zone()).astimezone(timezone.utc)
    if not 1900 <= moment.year <= 2200:
        return None
    return moment

