"""Vietnamese text rules shared by every path: NFC storage, folding, slugs."""

import re
import unicodedata
from html import unescape

from anyascii import anyascii
from django.utils.html import strip_tags

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_JOINERS = re.compile(r"[&'’]")


def nfc(value):
    """Text in the composed form we store (Word and macOS paste decomposed text)."""
    if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
        return unicodedata.normalize("NFC", value)
    return value


def ascii_text(value):
    """The text with diacritics removed and đ→d, case kept: 'Báo cáo' → 'Bao cao' (for an ASCII file name)."""
    return anyascii(nfc(value or ""))


def fold(value):
    """Lower-case ASCII with diacritics removed and đ→d: 'Chuyển đổi số' → 'chuyen doi so'."""
    return anyascii(nfc(value or "")).lower()


_WORD = re.compile(r"[^\W_]+")


def folded_words(value):
    """The folded words alone, one space apart: '211/KH-UBND: Chuyển đổi số' → '211 kh ubnd chuyen doi so'.

    What the search index holds, so SQLite's and PostgreSQL's tokenizers see the same words
    (PostgreSQL would keep "211/kh-ubnd" as one file-path token).
    """
    return " ".join(_WORD.findall(fold(value)))


def slugify(value, max_length=255):
    """An ASCII slug: 'Chuyển đổi số đột phá' → 'chuyen-doi-so-dot-pha'.

    Django's slugify drops 'đ' and Wagtail's admin helper turns it into 'dj';
    anyascii transliterates Vietnamese correctly.
    """
    slug = _NON_SLUG.sub("-", _JOINERS.sub("", fold(value))).strip("-")
    return slug[:max_length].rstrip("-")


_BLOCK_TAG = re.compile(r"<(?=/?(?:p|br|li|ul|ol|h[1-6]|div|td|th|tr|table|blockquote)\b)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def html_text(value):
    """The words of an HTML fragment, with a space where a block ends: '<p>a</p><p>b</p>' → 'a b'."""
    if not value:
        return ""
    return _SPACES.sub(" ", unescape(strip_tags(_BLOCK_TAG.sub(" <", value)))).strip()
