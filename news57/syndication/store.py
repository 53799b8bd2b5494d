"""Parsed entries of one source into the database: `store(source, entries) -> Stored`.

The only pipeline step besides fan-out that touches models. Its rules:

- An entry is stored once per (source, guid): a second poll that finds it
  unchanged does nothing, a changed one updates it.
- An entry with a code of its own is a directive document, identified by
  (code, year, issuer), so the same document carried by several feeds is one
  row; every entry that carried it points at it.
- The issuer is the agency the entry's author names, else the one the code's
  issuer part names (among the central agencies and the source's province,
  preferring the source's default when several match), else the source's default.
- Authority over the text: a source is authoritative for the issuers its
  agency is (Source.authority_ids). Only an authoritative source sets a
  document's title, summary, body and link; any other adds only its entry
  (its carrying time), except that a document nobody authoritative brought
  yet takes the text of the source that first carried it. An authoritative
  source replaces a provisional document's text (an editor's text of a
  document their agency is not authoritative for), keeping it as a revision.
- Among authoritative sources the earliest wins; a date without a time never
  beats a timed entry of the same day (a date-only entry reads as 00:00). An
  authoritative editor's own text stays; sources add only its link and time.
- Work is done in bulk (a few queries per batch, not per entry) and inside
  the caller's transaction; unique constraints make a concurrent import of
  the same entries create nothing twice.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations, get_serializable_data_for_fields
from wagtail.log_actions import log
from wagtail.models import Revision
from wagtail.search.backends import get_search_backends

from ..document_codes import DocumentCode, date_from_title
from ..models import (
    Agency,
    AgencyLevel,
    AttachmentDownload,
    Carries,
    DirectiveDocument,
    DocumentType,
    EntryKind,
    SourceEntry,
)
from ..models.sources import key_hash
from ..text import fold
from ..vietnam_time import local
from .sanitize import clean, cleaned_text

SUMMARY_LENGTH = 1000
# Logged on a document whose text a source set after it was first recorded: the source is the "who".
TEXT_FROM_SOURCE = "news57.document.text_from_source"
PDF_TYPES = {"application/pdf", "application/x-pdf"}


@dataclass
class Stored:
    """What one batch did; document ids are those whose content is new or changed."""

    new_entries: int = 0
    changed_entries: int = 0
    unchanged_entries: int = 0
    created_documents: list = field(default_factory=list)
    updated_documents: list = field(default_factory=list)
    news: int = 0
    touched_documents: list = field(default_factory=list)  # of every new or changed entry: what fan-out looks at
    publications: int = 0  # created by the fan-out that followed

    @property
    def documents(self):
        return self.created_documents + self.updated_documents


@dataclass
class _Item:
    """One entry on its way in: the entry, its cleaned body and what it becomes."""

    entry: object
    guid_hash: str
    body: str
    content_hash: str
    kind: str
    issuer: Agency | None = None
    code: DocumentCode | None = None
    year: int | None = None
    existing: SourceEntry | None = None
    document: DirectiveDocument | None = None
    is_new_document: bool = False
    authoritative: bool = False  # the source is authoritative for the item's issuer

    @property
    def source_time(self):
        return self.entry.published_at

    @property
    def date_only(self):
        return self.entry.published_at is not None and self.entry.published_date_only

    @property
    def identity(self):
        return (self.code.key, self.year, self.issuer.pk) if self.code else None


def store(source, entries, *, seen_at=None, cleaner=clean):
    """Store a source's parsed entries; returns a Stored. Call inside a transaction."""
    seen_at = seen_at or timezone.now()
    items = _items(source, entries, cleaner)
    existing = {
        row.guid_hash: row
        for row in SourceEntry.objects.filter(source=source, guid_hash__in=[item.guid_hash for item in items])
    }
    stored = Stored()
    todo = []
    for item in items:
        item.existing = existing.get(item.guid_hash)
        if item.existing is not None and item.existing.content_hash == item.content_hash:
            stored.unchanged_entries += 1
            continue
        todo.append(item)
    if not todo:
        return stored

    issuers = Issuers(source.default_issuer)
    authority = source.authority_ids()
    documents = [item for item in todo if item.kind == EntryKind.DOCUMENT]
    for item in documents:
        item.issuer = issuers.resolve(item.entry.author, item.code)
        item.authoritative = item.issuer is not None and item.issuer.pk in authority
    _assign_years(documents, seen_at)
    _attach_documents(source, documents, seen_at, stored)
    _save_entries(source, todo, seen_at, stored)
    _queue_downloads(documents)
    return stored


def _items(source, entries, cleaner):
    """Entries with their body cleaned and kind decided; the first of any repeated guid wins."""
    items, seen = [], set()
    for entry in entries:
        guid_hash = key_hash(entry.guid)
        if guid_hash in seen:
            continue
        seen.add(guid_hash)
        body = cleaner(entry.summary_html, entry.link or source.url)
        code = DocumentCode.parse(entry.own_code) if entry.own_code else None
        items.append(
            _Item(
                entry=entry,
                guid_hash=guid_hash,
                body=body,
                content_hash=_content_hash(entry, body),
                kind=entry_kind(source.carries, code),
                code=code,
            )
        )
    return items


def entry_kind(carries, code):
    """Whether an entry is a directive document or news, by what its source carries and its own code."""
    if carries == Carries.NEWS:
        return EntryKind.NEWS
    if carries == Carries.DOCUMENTS or code is not None:
        return EntryKind.DOCUMENT
    return EntryKind.NEWS


def _content_hash(entry, body):
    parts = [
        entry.title,
        entry.link,
        entry.author,
        body,
        entry.published_at.isoformat() if entry.published_at else "",
        [attachment.url for attachment in entry.attachments],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


class Issuers:
    """Who issued an entry, for one batch: the agency its author names, else its code's, else the default.

    Code issuer parts ("UBND", "TTg") are looked up among the central agencies
    and the default's province, where several agencies may share one ("UBND"
    of the province and of each commune): the default wins among them, and an
    ambiguous part without it falls back to the default. Without a default
    (checking a bare URL) a part counts only when one agency in all has it.
    """

    def __init__(self, default=None):
        self.default = default
        agencies = list(Agency.objects.all())
        self.by_name = {}
        for agency in agencies:
            for name in (agency.name, agency.short_name):
                if name:
                    self.by_name.setdefault(fold(name), agency)
        if default is None:
            in_scope = {agency.pk for agency in agencies}
        else:
            in_scope = {agency.pk for agency in agencies if agency.level == AgencyLevel.CENTRAL}
            province = default.province
            if province is not None:
                in_scope.update(province.province_agencies().values_list("pk", flat=True))
            in_scope.add(default.pk)
        self.by_code = {}
        for agency in agencies:
            if agency.code_issuer and agency.pk in in_scope:
                self.by_code.setdefault(agency.code_issuer.upper(), []).append(agency)

    def resolve(self, author, code):
        named = self.by_name.get(fold(author)) if author else None
        if named is not None:
            return named
        if code is not None and code.issuer:
            candidates = self.by_code.get(code.issuer.upper(), [])
            if len(candidates) == 1 and (self.default is None or self.default not in candidates):
                return candidates[0]
        return self.default


def _assign_years(items, seen_at):
    """Each coded item's year: the code's, else the title's date, else a document we hold, else its time."""
    unknown = []
    for item in items:
        if item.code is None:
            continue
        item.year = item.code.year or _title_year(item.entry.title)
        if item.year is None:
            unknown.append(item)
    if not unknown:
        return
    held = {}
    for code_key, issuer_id, year in DirectiveDocument.objects.filter(
        code_key__in={item.code.key for item in unknown}, issuer__in={item.issuer for item in unknown}
    ).values_list("code_key", "issuer_id", "year"):
        if year and year > held.get((code_key, issuer_id), 0):
            held[(code_key, issuer_id)] = year
    for item in unknown:
        # A re-post without a date ("Quyết định số 1169/QĐ-TTg (đăng lại)") is the latest we hold.
        item.year = held.get((item.code.key, item.issuer.pk)) or local(item.source_time or seen_at).year


def _title_year(title):
    issued = date_from_title(title)
    return issued.year if issued else None


def _attach_documents(source, items, seen_at, stored):
    """Find or create each item's document; update it when this entry is its earliest source."""
    held = _held_documents([item.identity for item in items if item.identity])
    pending = {}  # identity -> the item whose text a new document takes
    fresh = []
    for item in items:
        if item.identity in held:
            item.document = held[item.identity]
        elif item.identity is None and item.existing is not None and item.existing.document_id:
            item.document = item.existing.document
        elif item.identity is not None and item.identity in pending:
            first = pending[item.identity]
            item.document = first.document
            if _earlier(item, first, seen_at):
                _fill(item.document, item, seen_at, source)
                pending[item.identity] = item
        else:
            item.document = _new_document(source, item, seen_at)
            fresh.append(item.document)
            if item.identity is not None:
                pending[item.identity] = item
    rows = _create_documents(fresh, seen_at, stored)
    for item in items:
        if item.document.pk is None or id(item.document) in rows:
            item.document = rows[id(item.document)]
            item.is_new_document = True
    updated = set()
    for item in items:
        if getattr(item, "is_new_document", False) or item.document.pk in updated:
            continue
        if _update_document(source, item, seen_at):
            updated.add(item.document.pk)
    stored.updated_documents.extend(sorted(updated - set(stored.created_documents)))


def _earlier(item, other, seen_at):
    """Whether item should give the text: published first, or as early and written with diacritics.

    Both come from the same source, so both are authoritative or neither is.
    """
    mine, theirs = item.source_time or seen_at, other.source_time or seen_at
    if mine != theirs:
        return earlier(mine, item.date_only, theirs, other.date_only)
    return _has_diacritics(item.entry.title) and not _has_diacritics(other.entry.title)


def earlier(time, date_only, other, other_date_only):
    """Whether `time` comes before `other`; on one day a time of day beats a bare date, whichever is smaller."""
    if other is None:
        return True
    if date_only != other_date_only and local(time).date() == local(other).date():
        return other_date_only
    return time < other


def _has_diacritics(text):
    return fold(text) != text.lower()


def _held_documents(identities):
    if not identities:
        return {}
    rows = DirectiveDocument.objects.filter(
        code_key__in={code for code, _year, _issuer in identities},
        year__in={year for _code, year, _issuer in identities},
        issuer_id__in={issuer for _code, _year, issuer in identities},
    )
    wanted = set(identities)
    return {key: row for row in rows if (key := (row.code_key, row.year, row.issuer_id)) in wanted}


def _new_document(source, item, seen_at):
    document = DirectiveDocument(
        code=item.code.key if item.code else "",
        issuer=item.issuer or source.default_issuer,
        created_at=seen_at,
    )
    _fill(document, item, seen_at, source)
    document.year = item.year
    document.derive_fields(with_slug=False)
    return document


def _fill(document, item, seen_at, source):
    """The document's text, time and link from the entry that gives them."""
    entry = item.entry
    document.text_source = source
    document.source_time_is_date_only = item.date_only
    document.title = entry.title[:1000] or entry.link or entry.guid[:1000]
    document.body = item.body
    document.summary = cleaned_text(item.body)[:SUMMARY_LENGTH]
    document.source_url = entry.link[:1000]
    document.source_published_at = item.source_time or seen_at
    issued = date_from_title(entry.title)
    if issued is not None:
        document.issued_on = issued
    if item.code is not None and not document.doc_type and item.code.type_code in DocumentType.values:
        document.doc_type = item.code.type_code


def _create_documents(documents, seen_at, stored):
    """Insert new documents in bulk, each with its first revision: {id(object): row}."""
    if not documents:
        return {}
    _assign_slugs(documents)
    coded = [document for document in documents if document.code_key]
    # A coded document may have been created meanwhile by another worker: skip it, then read it back.
    DirectiveDocument.objects.bulk_create(coded, ignore_conflicts=True)
    held = _held_documents([(d.code_key, d.year, d.issuer_id) for d in coded])
    rows = {}
    for document in documents:
        row = held.get((document.code_key, document.year, document.issuer_id)) if document.code_key else None
        # Uncoded ones, and any lost only to a slug taken meanwhile, go in one by one.
        rows[id(document)] = row if row is not None else _insert_alone(document)
    created = [row for row in rows.values() if row.latest_revision_id is None]
    _first_revisions(created, seen_at)
    _index(created)
    stored.created_documents.extend(row.pk for row in created)
    return rows


def _index(documents):
    """Put new documents in the search index: bulk_create skips the signal that indexes a saved one."""
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(DirectiveDocument, documents)


def _insert_alone(document):
    """Save one document under a fresh slug; the held row when its identity was taken meanwhile."""
    for _attempt in range(5):
        document.slug = ""
        _assign_slugs([document])
        try:
            with transaction.atomic():
                document.save()
            return document
        except IntegrityError:
            if document.code_key:
                held = _held_documents([(document.code_key, document.year, document.issuer_id)])
                if held:
                    return next(iter(held.values()))
    raise IntegrityError(f"cannot insert document {document.code or document.title!r}")


def _assign_slugs(documents):
    """Unique slugs for a batch: one query for the batch, one more per slug already taken."""
    wanted = {}
    for document in documents:
        if not document.slug:
            document.slug = document.base_slug()
        wanted.setdefault(document.slug, []).append(document)
    taken = set(DirectiveDocument.objects.filter(slug__in=list(wanted)).values_list("slug", flat=True))
    for slug, group in wanted.items():
        if slug in taken or len(group) > 1:
            taken.update(DirectiveDocument.objects.filter(slug__startswith=f"{slug}-").values_list("slug", flat=True))
        n = 1
        for document in group:
            candidate = slug
            while candidate in taken:
                n += 1
                candidate = f"{slug}-{n}"
            document.slug = candidate
            taken.add(candidate)


def _first_revisions(documents, seen_at):
    if not documents:
        return
    content_type = ContentType.objects.get_for_model(DirectiveDocument)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(document.pk),
                created_at=seen_at,
                content=_new_document_data(document),
                object_str=str(document)[:255],
            )
            for document in documents
        ]
    )
    if revisions and revisions[0].pk is None:
        # Backends that cannot return ids from a bulk insert: read them back.
        ids = dict(
            Revision.objects.filter(
                content_type=content_type, object_id__in=[str(d.pk) for d in documents], created_at=seen_at
            ).values_list("object_id", "pk")
        )
    else:
        ids = {revision.object_id: revision.pk for revision in revisions}
    for document in documents:
        document.latest_revision_id = ids[str(document.pk)]
    DirectiveDocument.objects.bulk_update(documents, ["latest_revision"])


def _new_document_data(document):
    """What serializable_data() gives for a document just inserted, without its three empty-relation queries."""
    data = get_serializable_data_for_fields(document)
    for relation in get_all_child_relations(document):
        data[relation.get_accessor_name()] = []
    for relation in get_all_child_m2m_relations(document):
        if relation.serialize:
            data[relation.name] = []
    return data


def _update_document(source, item, seen_at):
    """Take the entry's text and time when the rules of authority let it; True when the document changed."""
    document = DirectiveDocument.objects.select_for_update(of=("self",)).select_related("text_source").get(pk=item.document.pk)
    item.document = document
    reason = _why_replace(source, item, document, seen_at)
    if reason is None:
        return False
    before = (document.title, document.body, document.source_url, document.source_published_at, document.summary)
    if reason == "link_and_time":
        # An authoritative editor's text stays; only the first source's link and time are taken.
        document.source_url = document.source_url or item.entry.link[:1000]
        document.source_published_at = item.source_time or seen_at
        document.source_time_is_date_only = item.date_only
    else:
        if document.latest_revision_id is None:
            # The text about to be replaced is kept as a revision of its own.
            document.save_revision(clean=False, log_action=False)
        _fill(document, item, seen_at, source)
    after = (document.title, document.body, document.source_url, document.source_published_at, document.summary)
    if before == after and reason != "provisional":
        return False
    document.save()
    revision = document.save_revision(changed=True, clean=False, log_action=False)
    log(
        instance=document,
        action=TEXT_FROM_SOURCE,
        revision=revision,
        content_changed=True,
        data={"source": source.name, "source_id": source.pk, "reason": reason},
    )
    return True


def _why_replace(source, item, document, seen_at):
    """Why this entry changes the document ("provisional", "earlier", …), or None when it may not."""
    time = item.source_time or seen_at
    current = document.source_published_at
    same_carrier = bool(document.source_url) and document.source_url == item.entry.link
    if not item.authoritative:
        # Another source adds only its carrying time (its entry), unless it gave the text we hold and corrects it.
        held_by_it = document.text_source_id == source.pk and not document.is_provisional
        return "correction" if held_by_it and same_carrier else None
    if document.is_provisional:
        return "provisional"
    if document.entered_by_id is not None and document.text_source_id is None:
        if current is None or earlier(time, item.date_only, current, document.source_time_is_date_only):
            return "link_and_time"
        return None
    if document.text_source is not None and document.issuer_id not in document.text_source.authority_ids():
        return "authoritative"
    if same_carrier:
        return "correction"
    if current is None or earlier(time, item.date_only, current, document.source_time_is_date_only):
        return "earlier"
    if time == current and _has_diacritics(item.entry.title) and not _has_diacritics(document.title):
        return "diacritics"
    return None


def _save_entries(source, items, seen_at, stored):
    new, changed = [], []
    for item in items:
        entry = item.entry
        fields = {
            "kind": item.kind,
            "document": item.document,
            "title": entry.title[:1000],
            "link": entry.link[:2000],
            "author": entry.author[:255],
            "body": item.body,
            "own_code": item.code.key if item.code else "",
            "cited_codes": list(entry.cited_codes),
            "attachment_urls": [attachment.url for attachment in entry.attachments],
            "published_at": entry.published_at,
            "content_hash": item.content_hash,
            "updated_at": seen_at,
        }
        if item.existing is None:
            new.append(SourceEntry(source=source, guid=entry.guid, guid_hash=item.guid_hash, first_seen_at=seen_at, **fields))
        else:
            for name, value in fields.items():
                setattr(item.existing, name, value)
            changed.append(item.existing)
        if item.kind == EntryKind.NEWS:
            stored.news += 1
    # A concurrent import of the same source may have stored some already: theirs stand.
    SourceEntry.objects.bulk_create(new, ignore_conflicts=True)
    if changed:
        SourceEntry.objects.bulk_update(changed, list(fields))
    stored.new_entries += len(new)
    stored.changed_entries += len(changed)
    stored.touched_documents = sorted({item.document.pk for item in items if item.document is not None})


def _queue_downloads(items):
    """A download per enclosed file of each document; done after commit by news57.syndication.attachments."""
    downloads = []
    for item in items:
        for attachment in item.entry.attachments:
            if attachment.mime_type in PDF_TYPES or attachment.url.lower().split("?")[0].endswith(".pdf"):
                downloads.append(AttachmentDownload(document=item.document, url=attachment.url, url_hash=key_hash(attachment.url)))
    AttachmentDownload.objects.bulk_create(downloads, ignore_conflicts=True)
