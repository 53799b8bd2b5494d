"""Uploaded media served with HTTP Range, so video seeks on an iPhone.

Django's static serve answers whole files only; Safari refuses to play a
video whose server ignores Range. Behind a web server or object storage in
production, set NEWS57_SERVE_MEDIA=0 and let that serve MEDIA_URL.
"""

import mimetypes
import os
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


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


def _resolve(path):
    root = Path(settings.MEDIA_ROOT).resolve()
    full = (root / path).resolve()
    if root not in full.parents or not full.is_file():
        raise Http404
    return full


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


@require_safe
def serve_media(request, path):
    full = _resolve(path)
    stat = full.stat()
    modified = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if modified is not None and int(stat.st_mtime) <= modified:
        return HttpResponseNotModified()
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
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
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    if os.path.splitext(full.name)[1].lower() in {".html", ".htm", ".svg", ".xml"}:
        # Uploaded markup must never run as our origin.
        response["Content-Disposition"] = "attachment"
        response["Content-Security-Policy"] = "sandbox"
    return response
