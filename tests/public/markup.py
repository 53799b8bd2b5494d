"""Reading rendered pages the way the public-page tests need."""

import html5lib


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
