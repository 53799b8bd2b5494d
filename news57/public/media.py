"""Uploaded media served with HTTP Range, so video seeks on an iPhone.

Django's static serve answers whole files only; Safari refuses to play a
video whose server ignores Range. Behind a web server or object storage in
production, set NEWS57_SERVE_MEDIA=0 and let that serve MEDIA_URL.
"""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

# ASCII digits only, and short: int() of a 5,000-digit header would raise.
_RANGE = re.compile(r"^bytes=([0-9]{0,18})-([0-9]{0,18})$")
CHUNK = 64 * 1024
# Types a browser would run as a document of our origin.
MARKUP_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/xsl",
    "application/xslt+xml",
}


class _RangeFile:
    """Yield `length` bytes of an open file from `start`."""

    def __init__(self, handle, start, length):
        self.handle, self.remaining = handle, length
        handle.seek(start)

    def __iter__(self):
        try:
            while self.remaining > 0:
                chunk = self.handle.read(min(CHUNK, self.remaining))
                if not chunk:
                    break
                self.remaining -= len(chunk)
                yield chunk
        finally:
            self.handle.close()

    def close(self):
        # Called by the response even when the client left before the first chunk.
        self.handle.close()


def _resolve(path):
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = (root / path).resolve()
        if root in full.parents and full.is_file():
            return full
    except (ValueError, OSError):  # a NUL byte, a name too long
        pass
    raise Http404


def parse_range(header, size):
    """(start, end) inclusive for a single satisfiable byte range, None to send all, or 'invalid'."""
    match = _RANGE.match(header.strip()) if header else None
    if not match:
        return None  # none, several or an unknown unit: the whole file is a valid answer
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            return "invalid"
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return "invalid"
    return start, end


# Our own pages may frame a PDF or a video; markup stays sandboxed below.
@xframe_options_sameorigin
@require_safe
def serve_media(request, path):
    full = _resolve(path)
    stat = full.stat()
    modified = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if modified is not None and int(stat.st_mtime) <= modified:
        return HttpResponseNotModified()
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    last_modified = http_date(stat.st_mtime)
    byte_range = None
    # If-Range: a client resuming a file that has since changed gets the new file whole.
    if request.headers.get("If-Range", last_modified) == last_modified:
        byte_range = parse_range(request.headers.get("Range", ""), stat.st_size)
    if byte_range == "invalid":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stat.st_size}"
    elif byte_range is None:
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Content-Length"] = str(stat.st_size)
    else:
        start, end = byte_range
        length = end - start + 1
        body = _RangeFile(full.open("rb"), start, length) if request.method == "GET" else iter(())
        response = StreamingHttpResponse(body, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
        response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = last_modified
    response["X-Content-Type-Options"] = "nosniff"
    if content_type in MARKUP_TYPES or full.suffix.lower() in {".html", ".htm", ".svg", ".svgz", ".xml"}:
        # Uploaded markup must never run as our origin.
        response["Content-Disposition"] = content_disposition_header(True, full.name)
        response["Content-Security-Policy"] = "sandbox"
    return response
