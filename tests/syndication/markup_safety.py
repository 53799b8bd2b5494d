"""What "no forbidden markup" means, checked on the parsed tree rather than by substring.

Text that merely mentions "javascript:" is harmless; an element, an event
handler, a style attribute or a link with a dangerous scheme is not.
"""

import re

import html5lib

FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "textarea", "select", "base", "meta", "link", "svg", "math", "img", "video", "audio", "source", "template",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "cite"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_parts(html):
    """Everything in html that could run script, load something or leave the page: [] when safe."""
    found = []
    root = html5lib.parse(html or "", treebuilder="etree", namespaceHTMLElements=False)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name in FORBIDDEN_ELEMENTS:
            found.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            attribute = attribute.rsplit("}", 1)[-1].lower()
            if attribute.startswith("on") or attribute == "style":
                found.append(f"{name}[{attribute}]")
            elif attribute in URL_ATTRIBUTES:
                scheme = _CONTROL.sub("", value).partition(":")[0].lower() if ":" in value else ""
                if scheme and "/" not in scheme and scheme not in SAFE_SCHEMES:
                    found.append(f"{name}[{attribute}={value[:40]}]")
    return found
