"""The search of one site's section: its articles, infographics, videos and live documents in one ranked list.

The backend (Wagtail's database search on SQLite or PostgreSQL) finds candidates by
the folded words the models index; news57.ranking orders them as a reader expects
and drops what a backend matched more loosely, so both backends answer alike.
Facets (kind, topic, issuer, year) are counted over the ranked hits, each facet's
counts under the other facets' choices, so a reader sees what a click would give.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.search.backends import get_search_backend

from ..models import ArticlePage, DirectiveDocument, InfographicPage, Publication, PublicationStatus, VideoPage
from ..ranking import Query, code_strength, highlight, rank_key
from ..vietnam_time import local, zone

PAGE_SIZE = 10
# Per kind, the newest matches, before our ranking: enough for any section's real answers to a query.
# Not the backend's relevance order: on SQLite it scores each row in a subquery of its own (seconds at
# 10,000 articles), and news57.ranking orders them anyway.
CANDIDATES = 1000
SNIPPET_LENGTH = 240
RESULTS_TEMPLATE = "news57/pages/search_results.html"

# The kind's value in the address, its key in templates (as the listings name it), and its models.
PAGE_KINDS = (("tin-tuc", "articles", ArticlePage), ("infographic", "infographics", InfographicPage), ("video", "videos", VideoPage))
KIND_LABELS = {
    "tin-tuc": pgettext_lazy("public site", "News"),
    "infographic": pgettext_lazy("public site", "Infographics"),
    "video": pgettext_lazy("public site", "Videos"),
    "van-ban": _("Directive documents"),
}


@dataclass
class Hit:
    """One result as the list shows it."""

    kind: str
    template_kind: str
    item: object
    url: str
    title: str
    snippet: str
    when: object
    year: int
    key: tuple
    topics: list = field(default_factory=list)
    issuer: object = None
    code: str = ""

    def facet_values(self, name):
        if name == "muc":
            return {self.kind}
        if name == "chu-de":
            return {topic.slug for topic in self.topics}
        if name == "co-quan":
            return {self.issuer.slug} if self.issuer else set()
        return {str(self.year)} if self.year else set()


def _snippet(query, *texts):
    """The first of the texts that holds a query word, highlighted around it; else the first text, cut."""
    present = [text for text in texts if text]
    for text in present:
        marked = highlight(text, query, SNIPPET_LENGTH)
        if "<mark>" in marked:
            return marked
    return highlight(present[0], query, SNIPPET_LENGTH) if present else ""


def _page_hits(section, request, query, operator):
    backend = get_search_backend()
    hits = []
    for kind, template_kind, model in PAGE_KINDS:
        queryset = model.objects.child_of(section).live().public().order_by("-date")
        found = backend.search(query.folded_text, queryset, operator=operator, order_by_relevance=False)
        pages = list(found[:CANDIDATES])
        prefetch_related_objects(pages, "topics", *(["images"] if model is InfographicPage else []))
        for page in pages:
            body = page.body_text()
            fields = {"title": page.title, "summary": page.lead, "body": body}
            key = rank_key(query, fields, page.date, every_word=operator == "and")
            if key is None:
                continue
            hits.append(
                Hit(
                    kind=kind,
                    template_kind=template_kind,
                    item=page,
                    url=page.get_url(request),
                    title=highlight(page.title, query),
                    snippet=_snippet(query, page.lead, body),
                    when=page.date,
                    year=local(page.date).year if page.date else None,
                    key=key,
                    topics=list(page.topics.all()),
                )
            )
    return hits


def _document_hits(section, request, query, operator):
    site = section.site_for(request)
    live = Publication.objects.filter(site=site, status=PublicationStatus.PUBLISHED)
    carried = DirectiveDocument.objects.filter(id__in=live.values("document_id"))
    newest_first = carried.order_by("-id")
    found = {
        document.pk: document
        for document in get_search_backend().search(
            query.folded_text, newest_first, operator=operator, order_by_relevance=False
        )[:CANDIDATES]
    }
    if query.numbers:
        # A code typed as "211 kh ubnd 2025" need not hold every word the document's text holds.
        for document in carried.filter(number__in=query.numbers).exclude(pk__in=list(found)):
            found[document.pk] = document
    documents = list(found.values())
    prefetch_related_objects(documents, "issuer", "topics")
    published = dict(live.filter(document__in=documents).values_list("document_id", "published_at"))
    base = section.get_url(request)
    hits = []
    for document in documents:
        when = _moment(document.issued_on) or published.get(document.pk) or document.created_at
        body = " ".join(filter(None, [document.body_text(), document.signer]))
        fields = {"title": document.title, "code": document.code, "summary": document.summary, "body": body}
        code = code_strength(query, document.code_key, document.year)
        key = rank_key(query, fields, when, code=code, every_word=operator == "and")
        if key is None:
            continue
        hits.append(
            Hit(
                kind="van-ban",
                template_kind="documents",
                item=document,
                url=base + section.reverse_subpage("document", kwargs={"slug": document.slug}),
                title=highlight(document.title, query),
                snippet=_snippet(query, document.summary, body),
                when=when,
                year=document.year,
                key=key,
                topics=list(document.topics.all()),
                issuer=document.issuer,
                code=highlight(document.code, query),
            )
        )
    return hits


def _moment(day):
    """A date as the start of that day in Vietnam, to sort beside the pages' times."""
    return datetime.combine(day, time.min, tzinfo=zone()) if day else None


def ranked_hits(section, request, query, operator="and"):
    """Every hit of the section for the query, best first."""
    if not query:
        return []
    hits = _page_hits(section, request, query, operator) + _document_hits(section, request, query, operator)
    hits.sort(key=lambda hit: hit.key, reverse=True)
    return hits


class Facets:
    """The reader's choices of kind, topic, issuer and year, read from the address; unknown values are ignored."""

    NAMES = ("muc", "chu-de", "co-quan", "nam")
    TITLES = {
        "muc": _("Kind"),
        "chu-de": _("Topic"),
        "co-quan": _("Issuing agency"),
        "nam": _("Year"),
    }

    def __init__(self, request, hits):
        self.request = request
        self.hits = hits
        offered = {name: self._labels(name) for name in self.NAMES}
        self.offered = offered
        self.chosen = {
            name: request.GET[name] for name in self.NAMES if request.GET.get(name) in offered[name]
        }

    def _labels(self, name):
        """Each value the hits carry for the facet, with what the reader sees for it, in display order."""
        labels = {}
        for hit in self.hits:
            if name == "muc":
                labels[hit.kind] = KIND_LABELS[hit.kind]
            elif name == "chu-de":
                labels.update({topic.slug: topic.name for topic in hit.topics})
            elif name == "co-quan" and hit.issuer:
                labels[hit.issuer.slug] = hit.issuer.name
            elif name == "nam" and hit.year:
                labels[str(hit.year)] = str(hit.year)
        if name == "muc":
            order = list(KIND_LABELS)
            return dict(sorted(labels.items(), key=lambda item: order.index(item[0])))
        if name == "nam":
            return dict(sorted(labels.items(), reverse=True))
        return dict(sorted(labels.items(), key=lambda item: str(item[1])))

    def matching(self, hits, leave_out=None):
        return [
            hit
            for hit in hits
            if all(value in hit.facet_values(name) for name, value in self.chosen.items() if name != leave_out)
        ]

    @cached_property
    def results(self):
        return self.matching(self.hits)

    def url(self, **changes):
        query = self.request.GET.copy()
        query.pop("trang", None)
        for name, value in changes.items():
            if value is None:
                query.pop(name, None)
            else:
                query[name] = value
        return "?" + query.urlencode()

    @cached_property
    def groups(self):
        """For each facet the hits carry: its options with counts and links."""
        groups = []
        for name in self.NAMES:
            counted = self.matching(self.hits, leave_out=name)
            options = []
            for value, label in self.offered[name].items():
                count = sum(1 for hit in counted if value in hit.facet_values(name))
                if count or self.chosen.get(name) == value:
                    options.append(
                        {
                            "value": value,
                            "label": label,
                            "count": count,
                            "chosen": self.chosen.get(name) == value,
                            "url": self.url(**{name: None if self.chosen.get(name) == value else value}),
                        }
                    )
            if options:
                groups.append(
                    {
                        "name": name,
                        "title": self.TITLES[name],
                        "options": options,
                        "all_url": self.url(**{name: None}) if name in self.chosen else None,
                    }
                )
        return groups


def serve_search(section, request):
    query = Query.parse(request.GET.get("q", ""))
    hits = ranked_hits(section, request, query)
    partial = False
    if not hits and len(query.folded) > 1:
        # No result holds every word: offer those that hold some, and say so.
        hits, partial = ranked_hits(section, request, query, operator="or"), True
    facets = Facets(request, hits)
    paginator = Paginator(facets.results, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("trang"))
    context = {
        "kind": "search",
        "query": query,
        "partial": partial,
        "facets": facets,
        "page_obj": page_obj,
        "hits": page_obj.object_list,
    }
    if query and not hits:
        context["latest_publications"] = section.live_publications()[:5]
        context["latest_items"] = list(section.latest_items()[:3])
    return section.render(request, context_overrides=context, template=RESULTS_TEMPLATE)
