"""Reading rendered pages the way the public-page tests need."""

import functools
import re
from pathlib import Path

import html5lib
import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def parse(html):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element):
    return " ".join(" ".join(element.itertext()).split())


def visible_text(tree):
    """What a reader sees or hears: body text, alt text and ARIA labels, without styles."""
    body = tree.find("body")
    parts = [text_of(body)]
    for element in body.iter():
        parts += [element.get(name, "") for name in ("alt", "aria-label", "title", "placeholder")]
    return " ".join(parts)


@functools.cache
def project_message_ids():
    """The English ids of the project's catalogue whose Vietnamese differs (so seeing one is a miss)."""
    catalogue = polib.pofile(str(CATALOGUE))
    return tuple(
        sorted({entry.msgid for entry in catalogue if not entry.obsolete and entry.msgstr != entry.msgid and len(entry.msgid) > 2})
    )


def untranslated_message_ids(text):
    """The project's message ids that appear, as words, in a reader's text."""
    return [msgid for msgid in project_message_ids() if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)]
