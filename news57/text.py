"""Vietnamese text rules shared by every path: NFC storage, folding, slugs."""

import re
import unicodedata

from anyascii import anyascii

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


def slugify(value, max_length=255):
    """An ASCII slug: 'Chuyển đổi số đột phá' → 'chuyen-doi-so-dot-pha'.

    Django's slugify drops 'đ' and Wagtail's admin helper turns it into 'dj';
    anyascii transliterates Vietnamese correctly.
    """
    slug = _NON_SLUG.sub("-", _JOINERS.sub("", fold(value))).strip("-")
    return slug[:max_length].rstrip("-")
