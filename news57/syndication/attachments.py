"""The PDFs that feeds enclose with directive documents, fetched apart from the feed and retried until they arrive.

`store` queues an `AttachmentDownload` per enclosed PDF; the beat tick asks
`downloads_due()` and, when it says so, a task runs `download_due()`, which
claims a batch of due rows and runs `download(row)` on each. A file arrives
byte for byte as a Wagtail document in the collection of syndicated files and
is attached to its document; a failure is recorded on its row as an error key
(worded when shown) and tried again after a doubling wait. Nothing here
raises: one bad file never stops the others, and nothing half-written stays.
"""

import hashlib
import logging
import re
import time
from datetime import timedelta
from posixpath import basename
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from ..models import AttachmentDownload, DocumentAttachment, DownloadStatus
from ..text import nfc, slugify
from .fetch import FetchError, fetch

logger = logging.getLogger(__name__)

# Data, not interface text: the collection editors see in the admin's document chooser.
COLLECTION_NAME = "Tệp đính kèm từ nguồn tin"
DEFAULT_LIMIT = 50
DUE_STATUSES = (DownloadStatus.PENDING, DownloadStatus.FAILED)
# A signed PDF of 50 MiB from a slow provincial server needs more than a feed's 30 seconds.
TIMEOUT = (10, 120)
FIRST_RETRY = timedelta(minutes=5)
LAST_RETRY = timedelta(days=1)
PDF_HEADER = re.compile(rb"%PDF-\d")
# Readers accept the header anywhere in the first 1024 bytes; we accept only a BOM and PDF whitespace before it.
HEADER_WINDOW = 1024
LEADING = b"\xef\xbb\xbf\x00\t\n\x0c\r "
NAME_LENGTH = 80
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class NotAPdf(Exception):
    pass


def is_pdf(body):
    """Whether body starts as a PDF does: %PDF-n, after at most a BOM and whitespace, within the first 1024 bytes."""
    return PDF_HEADER.match(body[:HEADER_WINDOW].lstrip(LEADING)) is not None


def backoff(attempts):
    """How long to wait after the given number of failed tries: 5 minutes, doubling, at most a day."""
    return min(LAST_RETRY, FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 20))


def lease():
    """How long a claimed row stays out of other runs: a whole task, so a live run is never overtaken."""
    return timedelta(seconds=int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 600)) + 60)


def default_budget():
    """Seconds a batch may keep starting downloads so the last one ends before the task's soft time limit."""
    return max(0, int(getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 540)) - TIMEOUT[1] - 30)


def _due(now):
    return Q(status__in=DUE_STATUSES, next_try_at__lte=now)


def downloads_due(now=None):
    """Whether any download is waiting or failed and its time to try has come."""
    return AttachmentDownload.objects.filter(_due(now or timezone.now())).exists()


def claim_due(now=None, limit=DEFAULT_LIMIT):
    """Up to limit due downloads, oldest first, each pushed out of other runs' reach for a lease."""
    now = now or timezone.now()
    until = now + lease()
    with transaction.atomic():
        rows = list(
            AttachmentDownload.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("next_try_at", "pk")[:limit]
        )
        AttachmentDownload.objects.filter(pk__in=[row.pk for row in rows]).update(next_try_at=until)
    for row in rows:
        row.next_try_at = until
    return rows


def download_due(now=None, limit=DEFAULT_LIMIT, budget=None):
    """Claim the due downloads and fetch each; returns the rows tried, with their outcome.

    Files the batch has no time left for are given back at once, for the next run.
    """
    claim_time = now or timezone.now()
    rows = claim_due(claim_time, limit)
    deadline = time.monotonic() + (default_budget() if budget is None else budget)
    tried = []
    for index, row in enumerate(rows):
        if index and time.monotonic() >= deadline:
            _give_back(rows[index:], claim_time)
            break
        tried.append(download(row, now=now))
    return tried


def _give_back(rows, due_at):
    try:
        AttachmentDownload.objects.filter(
            pk__in=[row.pk for row in rows], next_try_at=rows[0].next_try_at, status__in=DUE_STATUSES
        ).update(next_try_at=due_at)
    except Exception:
        logger.exception("could not give back %s claimed attachment downloads", len(rows))


def download(row, now=None):
    """Fetch row's file and attach it to its document, or record why not. Never raises; returns row."""
    try:
        response = fetch(row.url, timeout=TIMEOUT, max_bytes=settings.NEWS57_ATTACHMENT_MAX_BYTES)
        if not is_pdf(response.body):
            raise NotAPdf(response.content_type)
        _attach(row, response, now)
    except FetchError as error:
        logger.info("attachment %s of document %s: %s", row.url, row.document_id, error)
        _failed(row, error.key, error.params, now)
    except NotAPdf as error:
        logger.info("attachment %s of document %s is not a PDF (%s)", row.url, row.document_id, error)
        _failed(row, "not_a_pdf", {}, now)
    except Exception:
        logger.exception("attachment %s of document %s could not be stored", row.url, row.document_id)
        _failed(row, "attachment_missing", {}, now)
    return row


def _attach(row, response, now):
    """Store the file and its attachment and mark the row done, all or nothing."""
    body = response.body
    sha256 = hashlib.sha256(body).hexdigest()
    stored = None
    try:
        with transaction.atomic():
            current = AttachmentDownload.objects.select_for_update().filter(pk=row.pk).first()
            if current is None:  # deleted with its document meanwhile
                return
            if current.status == DownloadStatus.DONE:  # a run whose lease this one outlived got it first
                row.status, row.attachment_id = current.status, current.attachment_id
                return
            attachment = (
                DocumentAttachment.objects.filter(document_id=row.document_id, sha256=sha256)
                .order_by("sort_order", "pk")
                .first()
            )
            if attachment is None:
                attachment, stored = _new_attachment(row, response, sha256)
            row.status = DownloadStatus.DONE
            row.attachment = attachment
            row.attempts += 1
            row.error_reason, row.error_params = "", {}
            row.next_try_at = now or timezone.now()
            row.save(update_fields=["status", "attachment", "attempts", "error_reason", "error_params", "next_try_at"])
    except BaseException:
        if stored is not None:
            _delete_file(stored)
        raise


def _new_attachment(row, response, sha256):
    """A Wagtail document holding the bytes and the document's attachment pointing at it: (attachment, stored name).

    The bytes are written by us, not by the model's save, so that a failure
    later in the transaction knows exactly which stored file to delete.
    """
    document, body = row.document, response.body
    label, stem = names(row.url, response.url)
    title = " – ".join(part for part in (document.code, label) if part) or document.title
    file = get_document_model()(
        title=title[:255],
        collection=syndicated_collection(),
        file_size=len(body),
        file_hash=hashlib.sha1(body, usedforsecurity=False).hexdigest(),
    )
    field = file._meta.get_field("file")
    name = field.generate_filename(file, f"{stem or document.slug or 'tep-dinh-kem'}.pdf")
    stored = field.storage.save(name, ContentFile(body), max_length=field.max_length)
    try:
        file.file = stored
        file.save()
        last = DocumentAttachment.objects.filter(document_id=row.document_id).aggregate(last=Max("sort_order"))["last"]
        attachment = DocumentAttachment.objects.create(
            document_id=row.document_id,
            file=file,
            label=label,
            sha256=sha256,
            size=len(body),
            sort_order=0 if last is None else last + 1,
        )
    except BaseException:
        _delete_file(stored)
        raise
    return attachment, stored


def _delete_file(name):
    try:
        get_document_model()._meta.get_field("file").storage.delete(name)
    except Exception:
        logger.exception("could not delete the orphan file %s", name)


def syndicated_collection():
    """The collection of files that feeds brought, under the root, made on first use."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    return collection or root.add_child(name=COLLECTION_NAME)


def names(*urls):
    """(label, stem) from the first URL whose path ends in a file name: 'Kế hoạch 211.pdf' -> ('Kế hoạch 211', 'ke-hoach-211')."""
    for url in urls:
        try:
            last = basename(urlsplit(url).path)
        except ValueError:
            continue
        label = CONTROL.sub(" ", nfc(unquote(last, errors="replace"))).strip()
        if label.lower().endswith(".pdf"):
            label = label[:-4].rstrip()
        stem = slugify(label, max_length=NAME_LENGTH)
        if stem:
            return label[:255], stem
    return "", ""


def _failed(row, key, params, now):
    """Record a failed try and when to try again; a row already done stays done."""
    try:
        row.status = DownloadStatus.FAILED
        row.attempts += 1
        row.error_reason = key[:50]
        row.error_params = {name: _plain(value) for name, value in (params or {}).items()}
        row.next_try_at = (now or timezone.now()) + backoff(row.attempts)
        AttachmentDownload.objects.filter(pk=row.pk).exclude(status=DownloadStatus.DONE).update(
            status=row.status,
            attempts=row.attempts,
            error_reason=row.error_reason,
            error_params=row.error_params,
            next_try_at=row.next_try_at,
        )
    except Exception:
        logger.exception("could not record the failed download %s", row.pk)


def _plain(value):
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
