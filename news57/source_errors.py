"""What went wrong with a source or a file, in plain words for its administrator.

Errors are stored as a key and its parameters, and worded only when shown, so
the words can be translated and corrected without touching stored rows.
"""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Fetching (news57.syndication.fetch)
    "bad_url": _("The source address is not valid: %(url)s (%(why)s)."),
    "dns": _("The server %(host)s could not be found (domain name lookup failed)."),
    "forbidden_metadata": _("Blocked address: %(address)s is a cloud server's metadata service."),
    "forbidden_loopback": _("Blocked address: %(address)s is a loopback (internal) address."),
    "forbidden_unspecified": _("Blocked address: %(address)s is an unspecified address."),
    "forbidden_link_local": _("Blocked address: %(address)s is a link-local address."),
    "forbidden_shared": _("Blocked address: %(address)s is a carrier's shared address."),
    "forbidden_private": _("Blocked address: %(address)s is a private network address."),
    "forbidden_multicast": _("Blocked address: %(address)s is a multicast address."),
    "forbidden_reserved": _("Blocked address: %(address)s is reserved and not used on the Internet."),
    "connection": _("Could not connect to the server %(host)s:%(port)s."),
    "connect_timeout": _("Could not connect to the server %(host)s:%(port)s within the time allowed."),
    "timeout": _("The source's server did not answer within %(seconds)s seconds."),
    "too_large": _("The source's data is too large (over the %(megabytes)s MB limit)."),
    "decompression": _("The source's compressed data is damaged and cannot be decompressed."),
    "decompression_truncated": _("The source's compressed data is cut off and cannot be decompressed."),
    "unsupported_encoding": _("The source uses an unsupported compression (%(encoding)s)."),
    "too_many_redirects": _("The source redirected more than %(count)s times (probably a loop)."),
    "redirect_without_location": _("The source's server redirected (code %(code)s) without giving a new address."),
    "http_status": _("The source's server answered with HTTP error %(code)s."),
    "bad_response": _("The source's server answered in a way that breaks the HTTP protocol."),
    "truncated_body": _("The source's server closed the connection midway; the data is cut off."),
    # Parsing (news57.syndication.parse)
    "not_a_feed": _("This address returns an HTML page, not an RSS/Atom feed."),
    "truncated": _("The feed is cut off midway (the download did not finish)."),
    "malformed": _("The downloaded content cannot be read as an RSS/Atom feed."),
    "empty": _("This address returns empty content."),
    # Attached files (news57.syndication.attachments)
    "not_a_pdf": _("The attached file is not a PDF."),
    "attachment_missing": _("Missing attached file."),
    # Anything we did not foresee: the batch goes on, the source shows it.
    "internal": _("An unexpected error occurred while importing; the technical details are in the log."),
}


class _Params(dict):
    # A stored row older than its message's wording still renders, with "?" for what it lacks.
    def __missing__(self, key):
        return "?"


def error_message(key, params=None):
    """The message for key with its parameters filled in, in the active language."""
    template = MESSAGES.get(key, MESSAGES["internal"])
    return str(template) % _Params(params or {})
