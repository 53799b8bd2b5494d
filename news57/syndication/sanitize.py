"""The one place where HTML carried by feeds is made safe to store and render.

Every syndicated body goes through `clean()` once, before it is stored; the
templates then render it as trusted. Changing the sanitizer (say, bleach → nh3)
means changing this module only.

What survives is the subset the document detail page renders:

- p, br, strong/b, em/i, u, blockquote, ul/ol/li
- h2–h4; h1 becomes h2 (the page title is the only h1), h5/h6 become h4
- a[href, title], href only http/https/mailto, relative hrefs made absolute
  against the feed's URL; http(s) links get rel="nofollow noopener" because
  every link in a syndicated body points off our site. Any other scheme
  (javascript:, data:, vbscript:, tel:…, however cased, spaced or encoded)
  loses the href and keeps its text. A protocol-relative "//host/x" takes the
  base's scheme (https without a base): it is an off-site link like any other.
  No src attribute survives: every element that has one is dropped.
- table, caption, thead, tbody, tfoot, tr, th[colspan, rowspan, scope],
  td[colspan, rowspan]

Removed with everything inside them: script, style, iframe, object, embed,
svg, math, template, noscript, form and its controls, base, meta, link, and
images. Images are dropped on purpose: hotlinking a third-party host would let
it track our readers and break when it moves the file. Other tags (div, span,
font…) are unwrapped, keeping their text. No style, class or id attribute
survives, so no CSS can load anything and nothing can hook our own styles.

An element left with no text once all that is gone (a paragraph that held an
image, a link around an image, a div of &nbsp;) is dropped too, up the tree,
and so are the <br>s that open or close a block. Table cells and rows stay,
since dropping one would shift the columns; a table with no text at all goes.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import html5lib
from bleach.sanitizer import BleachSanitizerFilter, Cleaner
from html5lib.filters.base import Filter

from news57.text import nfc

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "blockquote",
        "ul", "ol", "li", "h2", "h3", "h4", "a",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Removed with their content: what they hold is code, chrome or a tracker, not text.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed",
        "applet", "param", "svg", "math", "template", "noscript", "noembed",
        "noframes", "form", "input", "button", "select", "option", "textarea",
        "base", "meta", "link", "title", "head", "img", "picture", "source",
        "audio", "video", "track", "canvas", "map", "area", "portal",
    }
)  # fmt: skip
RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4"}

# Unwrapped block elements would otherwise glue the words on either side together.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "aside", "header", "footer", "main",
        "nav", "figure", "figcaption", "address", "pre", "dl", "dt", "dd",
        "center", "hr", "br", "blockquote", "ul", "ol", "li",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# What a browser does to an href before reading it: strip C0 controls and spaces, drop tabs and newlines.
_URL_EDGES = "".join(map(chr, range(0x21)))
_URL_TABS_AND_NEWLINES = re.compile(r"[\t\n\r]")
_WEB_SCHEMES = ("http", "https")
# Text of no substance: whitespace (&nbsp; included) and the invisible characters editors paste.
_BLANK = re.compile(r"[\s\u180e\u200b-\u200d\u2060\ufeff]*")
# Never dropped for being empty: a cell or row holds a place in its table.
KEPT_EMPTY = frozenset({"td", "th", "tr", "thead", "tbody", "tfoot"})
_WHITESPACE = re.compile(r"\s+")

# html5lib's parser is quadratic in nesting depth (20,000 nested divs take
# ~15 s), so large inputs are first flattened to at most this depth.
LARGE_INPUT = 64 * 1024
MAX_DEPTH = 100
VOID_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr",
    }
)  # fmt: skip


def clean(html, base_url=""):
    """Sanitised, NFC HTML that is safe to render as is; "" for None, "" or markup with no text."""
    if not html:
        return ""
    cleaned = _CLEANER.clean_with_base(html, base_url or "")
    return "" if _BLANK.fullmatch(cleaned) else cleaned


def plain_text(html):
    """The readable text of `html`, whitespace collapsed: for summaries and search."""
    if not html:
        return ""
    root = _parse(html)
    return nfc(_WHITESPACE.sub(" ", "".join(_text_parts(root))).strip())


_ANY_TAG = re.compile(r"<[^>]*>")


def cleaned_text(html):
    """The text of HTML that clean() produced, without parsing it again: its tags are simple and its text escaped."""
    if not html:
        return ""
    return _WHITESPACE.sub(" ", unescape(_ANY_TAG.sub(" ", html))).strip()


class _FeedCleaner(Cleaner):
    """bleach's Cleaner, fed a tree from which dangerous subtrees are already gone.

    bleach's own parser turns disallowed tags into text while tokenising, so
    `<script>alert(1)</script>` would leave "alert(1)" behind; parsing with
    plain html5lib first lets us drop such elements with their content.
    """

    def clean(self, text):
        return self.clean_with_base(text, "")

    def clean_with_base(self, text, base_url):
        root = _parse(text)
        _prepare(root, base_url)
        filtered = BleachSanitizerFilter(
            source=self.walker(root),
            allowed_tags=self.tags,
            attributes=self.attributes,
            strip_disallowed_tags=self.strip,
            strip_html_comments=self.strip_comments,
            css_sanitizer=None,
            allowed_protocols=self.protocols,
        )
        for filter_class in self.filters:
            filtered = filter_class(source=filtered)
        return self.serializer.render(filtered)


class _ExternalLinkFilter(Filter):
    """Adds rel="nofollow noopener" to every http(s) link that survived sanitising."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attrs = token["data"]
                href = attrs.get((None, "href"), "")
                if href.lower().startswith(("http:", "https:")):
                    attrs[(None, "rel")] = "nofollow noopener"
            yield token


def _parse(html):
    html = nfc(str(html))
    if len(html) > LARGE_INPUT:
        html = _flatten(html)
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


def _flatten(html):
    flattener = _Flattener()
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out)


class _Flattener(HTMLParser):
    """Re-emits HTML in linear time with nesting capped and dangerous elements already gone.

    Its output is parsed and sanitised like any other input; this pass only
    bounds the work, so its lenient parsing cannot let anything through.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.open = []
        self.skipping = []

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        if tag in DROPPED_WITH_CONTENT:
            if tag not in VOID_TAGS:
                self.skipping.append(tag)
            return
        if tag not in VOID_TAGS and len(self.open) >= MAX_DEPTH:
            return
        attributes = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
        self.out.append(f"<{tag}{attributes}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in self.open:
            while self.open:
                closed = self.open.pop()
                self.out.append(f"</{closed}>")
                if closed == tag:
                    break

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(data, quote=False))


def _name(element):
    """The lower-case tag name, or None for comments and foreign (SVG, MathML) elements."""
    tag = element.tag
    if not isinstance(tag, str) or tag.startswith("{"):
        return None
    return tag.lower()


def _is_dropped(element):
    if not isinstance(element.tag, str):
        return False  # comments: the sanitizer strips them
    name = _name(element)
    return name is None or name in DROPPED_WITH_CONTENT


def _drop_subtrees(root):
    parents = [parent for parent in root.iter() if any(_is_dropped(child) for child in parent)]
    for parent in parents:
        kept = []
        for child in parent:
            if not _is_dropped(child):
                kept.append(child)
            elif child.tail and kept:
                kept[-1].tail = (kept[-1].tail or "") + child.tail
            elif child.tail:
                parent.text = (parent.text or "") + child.tail
        parent[:] = kept


def _prepare(root, base_url):
    """Drop dangerous subtrees, rename headings, resolve links, NFC-normalise text, drop what is left empty."""
    _drop_subtrees(root)
    for element in root.iter():
        name = _name(element)
        if name is None:
            continue
        if name in RENAMED:
            element.tag = RENAMED[name]
        elif name in BLOCK_TAGS and name not in ALLOWED_TAGS:
            # Unwrapped by the sanitizer: keep a line break where the block was.
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        if name == "a" and "href" in element.attrib:
            href = _absolute(element.attrib["href"], base_url)
            if href is None:
                del element.attrib["href"]
            else:
                element.attrib["href"] = href
        for attribute, value in element.attrib.items():
            element.attrib[attribute] = nfc(value)
        element.text = nfc(element.text)
        element.tail = nfc(element.tail)
    _drop_empty(root)


def _drop_empty(root):
    """Drop the elements with no text in them, and the <br>s at either end of a block.

    Children come before their parents, so a parent that only held what was
    dropped goes too; iterative (deep input) and one pass over each child list
    (wide input).
    """
    order, stack = [], [root]
    while stack:
        element = stack.pop()
        order.append(element)
        stack.extend(element)
    has_text, dropped = {}, {}  # by id(element); dropped maps to what keeps its neighbours apart
    for element in reversed(order):
        if any(id(child) in dropped for child in element):
            _remove(element, dropped)
        name = _name(element)
        if element is root or (name in BLOCK_TAGS and name != "br"):
            _trim_breaks(element)
        if not isinstance(element.tag, str):  # a comment: its text is no content, its tail is its parent's
            continue
        has_text[id(element)] = not _is_blank(element.text) or any(
            has_text.get(id(child)) or not _is_blank(child.tail) for child in element
        )
        if element is root or has_text[id(element)] or name in KEPT_EMPTY or name == "br":
            continue
        if name in BLOCK_TAGS:
            dropped[id(element)] = "\n"
        else:
            # Whitespace inside, as in "a<b> </b>b", still separates the words on either side.
            dropped[id(element)] = " " if element.text or any(child.tail for child in element) else ""


def _trim_breaks(block):
    """Remove the <br>s that open or close a block: they only pad it."""
    children = list(block)
    breaks = {}
    if _is_blank(block.text):
        for child in children:
            if _name(child) == "br":
                breaks[id(child)] = ""
            elif isinstance(child.tag, str):
                break
            if not _is_blank(child.tail):
                break
    for child in reversed(children):
        if not _is_blank(child.tail) or (isinstance(child.tag, str) and _name(child) != "br"):
            break
        if _name(child) == "br":
            breaks[id(child)] = ""
    if breaks:
        _remove(block, breaks)


def _remove(parent, removed):
    """Take the children named in `removed` (id -> separator) out of parent, keeping their tails' text."""
    kept = []
    for child in parent:
        if id(child) not in removed:
            kept.append(child)
            continue
        before = kept[-1].tail if kept else parent.text
        separator = removed[id(child)]
        if before and before[-1].isspace() or child.tail and child.tail[0].isspace():
            separator = ""  # already apart: a run of dropped blocks leaves one line, not one each
        tail = separator + (child.tail or "")
        if kept:
            kept[-1].tail = (kept[-1].tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent[:] = kept


def _is_blank(text):
    return not text or bool(_BLANK.fullmatch(text))


def _absolute(href, base_url):
    """`href` made absolute against `base_url`; None unless it then is an http(s) URL with a host, or mailto.

    Read as a browser reads it (tabs and newlines dropped, controls and spaces
    stripped, entities already decoded by the parser), then judged here by its
    result: bleach alone would read "javascript:123" as a host and port.
    """
    url = _URL_TABS_AND_NEWLINES.sub("", href).strip(_URL_EDGES)
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() == "mailto":
        return url
    if not scheme and not url.startswith("//") and not base_url:
        # A relative link left as is would point into our own site.
        return None
    try:
        absolute = urljoin(base_url or "https:", url)
        parts = urlsplit(absolute)
    except ValueError:  # a malformed IPv6 host and the like
        return None
    # "https:x" has no host: a browser would resolve it against our own site.
    return absolute if parts.scheme.lower() in _WEB_SCHEMES and parts.netloc else None


def _text_parts(root):
    """Text of the tree in document order, a space around block elements (iterative: deep input)."""
    _drop_subtrees(root)
    stack = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            if _name(element) in BLOCK_TAGS:
                yield " "
            if element.tail:
                yield element.tail
            continue
        if not isinstance(element.tag, str):  # a comment
            if element.tail:
                yield element.tail
            continue
        if _name(element) in BLOCK_TAGS:
            yield " "
        if element.text:
            yield element.text
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))


_CLEANER = _FeedCleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_ExternalLinkFilter],
)
