from django.core.exceptions import ValidationError
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageViewRestriction, Site
from wagtail.search import index

from .. import content
from ..text import folded_words, slugify
from .blocks import ArticleBodyBlock, stream_text
from .documents import Publication, PublicationStatus
from .agencies import Topic
from .facets import TOPIC, FacetForm, document_facets, item_facets, raw_choices, with_year
from .page_form import PageForm

# A home's section as routing found it, under the site's content version (HomePage.section_at).
SECTION_KEY = "news57:section:{}:{}:{}"
SECTION_SECONDS = 24 * 3600
PAGE_SIZE = 12
DOCUMENT_PAGE_SIZE = 20
# The renditions a card draws (news57/includes/card.html): fetched with the cards, never one query per card.
CARD_FILTERS = ("fill-400x225", "fill-800x450")
# The picture a preview on Zalo or Facebook shows (Open Graph's 1200×630), drawn in every item's head.
SHARE_FILTER = "fill-1200x630"
# Every rendition the public templates draw (cards, an article's hero image, the preview picture): made
# when an image is saved, so no reader's request waits for Pillow.
PUBLIC_FILTERS = CARD_FILTERS + ("width-480", "width-800", "width-1200", SHARE_FILTER)
# The public layer registers the view that makes a section's RSS and Atom feeds under this Wagtail hook.
SERVE_FEED_HOOK = "news57_serve_feed"
# ... and the view of the section's search under this one.
SERVE_SEARCH_HOOK = "news57_serve_search"


def ancestor_paths(page):
    """The treebeard paths of the page and of every page above it, root first."""
    return [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]


def children_of(page):
    """A filter for the page's children, as a range of paths.

    Wagtail's child_of is a LIKE on the path, for which SQLite uses no index: it reads every page of
    the installation. Children's paths are the parent's plus one step of the alphabet, so a range holds
    exactly them, and both databases read it from the path's index.
    """
    last = page.path + Page.alphabet[-1] * page.steplen
    return Q(path__gt=page.path, path__lte=last, depth=page.depth + 1)


def descendants_of(page):
    """A filter for every page below this one, as a range of paths (see children_of)."""
    longest = Page._meta.get_field("path").max_length
    return Q(path__gt=page.path, path__lte=page.path.ljust(longest, Page.alphabet[-1]))


def attach_cards(*groups):
    """Gives every item of the groups its card picture (`card_picture`), with the card renditions.

    One query for all the groups together: the renditions, each with its image; a second only
    for images whose renditions are not made yet (then made as the card draws them).
    """
    items = [item for group in groups for item in group]
    InfographicPage.find_first_images([item for item in items if isinstance(item, InfographicPage)])
    wanted = {item.card_image_id for item in items if item.card_image_id}
    renditions = get_image_model().get_rendition_model().objects.filter(
        image_id__in=wanted, filter_spec__in=CARD_FILTERS
    )
    images = {}
    for rendition in renditions.select_related("image"):
        image = images.setdefault(rendition.image_id, rendition.image)
        if not hasattr(image, "prefetched_renditions"):
            image.prefetched_renditions = []
        rendition.image = image
        image.prefetched_renditions.append(rendition)
    if wanted - images.keys():
        for image in get_image_model().objects.filter(pk__in=wanted - images.keys()):
            image.prefetched_renditions = []
            images[image.pk] = image
    for item in items:
        item.card_picture = images.get(item.card_image_id)
    return groups


# Each item's print view is this path under the item's own address.
PRINT_PATH = "ban-in/"


class BasePage(Page):
    """What every news57 page shares: ASCII slugs folded from Vietnamese titles."""

    base_form_class = PageForm

    class Meta:
        abstract = True

    def _set_core_field_defaults(self):
        # Wagtail fills an empty slug with Django's slugify, which drops "đ".
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        if not self.slug and parent_is_known and self.title:
            base_slug = slugify(self.title)
            if base_slug:
                self.slug = self._get_autogenerated_slug(base_slug)
        super()._set_core_field_defaults()

    def _get_relevant_site_root_paths(self, cache_object=None):
        # Wagtail compares the page's path with every site's root path, for every link: 5,000 comparisons a
        # link in a province of communes. Its roots can only be the page's own path cut after a "/": looked
        # up among the roots by path, in Wagtail's order (longest root first, then as the list has them).
        roots = self._get_site_root_paths(cache_object)
        # Kept on the request, as Wagtail keeps the roots there; never on a page, which the cache may keep.
        index = getattr(cache_object, "_news57_roots_by_path", None)
        if index is None or index[0] is not roots:
            by_path = {}
            for root in roots:
                by_path.setdefault(root.root_path, []).append(root)
            index = (roots, by_path)
            if cache_object is not None:
                cache_object._news57_roots_by_path = index
        by_path, url_path = index[1], self.url_path
        found = []
        for end in range(len(url_path), 0, -1):
            if url_path[end - 1] == "/":
                found.extend(by_path.get(url_path[:end], ()))
        return tuple(found)

    def get_url_parts(self, request=None):
        # Every link to a page asks for its address: a section's page asks for the section's at every link.
        # Worked out once a request, as Wagtail keeps the site roots once a request; a page moved meanwhile
        # has another url_path, so another key.
        if not isinstance(request, HttpRequest):
            return super().get_url_parts(request)
        known = request.__dict__.setdefault("_news57_url_parts", {})
        key = (self.pk, self.url_path)
        if key not in known:
            known[key] = super().get_url_parts(request)
        return known[key]

    @property
    def agency(self):
        site = self.get_site()
        return getattr(site, "agency", None) if site else None

    def get_view_restrictions(self):
        # Wagtail's reads the ancestors first, then their restrictions: one query here, aliases included
        # (an alias has none of its own; its source's apply).
        paths = ancestor_paths(self)
        return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page__aliases__path__in=paths)).distinct()

    def ancestors_below(self, root):
        """The pages between `root` and this one, top first; read from the parents routing left on the page."""
        ancestors, page = [], self
        while page.depth > root.depth + 1:
            page = page.get_parent()
            ancestors.insert(0, page)
        return ancestors


class HomePage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture for shared links"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when a page of this site without a picture of its own is shared on Zalo or Facebook; "
            "best at 1200 × 630 pixels."
        ),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    promote_panels = BasePage.promote_panels + [FieldPanel("share_image")]
    subpage_types = ["news57.SectionPage"]
    parent_page_types = ["wagtailcore.Page"]
    template = "news57/pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section"] = SectionPage.objects.filter(children_of(self)).live().first()
        if context["section"]:
            context["latest"] = attach_cards(list(context["section"].latest_items()[:6]))[0]
        return context

    def route(self, request, path_components):
        # A home page holds only its section: reading it as a SectionPage at once saves Wagtail's second query.
        if path_components:
            section = self.section_at(request, path_components[0])
            if section is not None:
                section._cached_parent_obj = self
                return section.route(request, path_components[1:])
        return super().route(request, path_components)

    def section_at(self, request, slug):
        """The section under this home with this slug; kept in the cache under the site's content version,
        which publishing, moving or deleting the section bumps."""
        site = Site.find_for_request(request)
        if site is None or site.root_page_id != self.pk or getattr(request, "is_preview", False):
            return SectionPage.objects.filter(children_of(self), slug=slug).first()
        key = SECTION_KEY.format(self.pk, slug, content.request_version(request, site.pk))
        section = cache.get(key)
        if section is None:
            section = SectionPage.objects.filter(children_of(self), slug=slug).first()
            if section is not None:
                cache.set(key, section, SECTION_SECONDS)
        return section


class SectionPage(RoutablePageMixin, BasePage):
    """The Resolution 57 section of one site: overview plus a listing per kind."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["news57.HomePage"]
    subpage_types = ["news57.ArticlePage", "news57.InfographicPage", "news57.VideoPage"]
    max_count_per_parent = 1
    template = "news57/pages/section_page.html"

    class Meta:
        verbose_name = _("Resolution 57 section")

    # The listings a sitemap names beside the section itself (news57.public.sitemaps).
    SITEMAP_LISTINGS = ("articles", "infographics", "videos", "documents")

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = urls[0]["location"]
        return urls + [{"location": base + self.reverse_subpage(name)} for name in self.SITEMAP_LISTINGS]

    def items_of(self, model):
        return model.with_cards(self._public_children(model))

    def cards_of(self, model):
        """items_of(model) as the listings' cards need them (model.cards)."""
        return model.cards(self._public_children(model))

    def _public_children(self, model):
        # Public here: without a view restriction of its own (the section's and its ancestors' were
        # checked before the section was served), asked in the same query.
        return model.objects.filter(children_of(self)).live().filter(view_restrictions__isnull=True).order_by("-date", "-pk")

    def latest_items(self):
        return (
            Page.objects.filter(children_of(self))
            .live()
            .filter(view_restrictions__isnull=True)
            .type(ArticlePage, InfographicPage, VideoPage)
            .specific()
            .order_by("-first_published_at")
        )

    def listing_context(self, request, model, kind):
        # The filters count only if the template's cached fragment misses.
        form = SimpleLazyObject(lambda: FacetForm(request.GET, with_year(self._public_children(model)), item_facets()))
        chosen = raw_choices(request.GET, item_facets())
        cards = with_year(self.cards_of(model))
        page_obj = Paginator(form.narrow(cards) if chosen else cards, PAGE_SIZE).get_page(request.GET.get("trang"))
        # Read only if the template's cached fragment misses.
        items = SimpleLazyObject(lambda: attach_cards(list(page_obj.object_list))[0])
        return {"kind": kind, "page_obj": page_obj, "items": items, "form": form, "filtered": bool(chosen)}

    def overview_context(self, request, topic=None):
        """The newest of each kind, of one topic or all; read, together, only if the template's cached
        fragment misses."""

        def of_topic(queryset, lookup):
            return queryset.filter(**{lookup: topic}) if topic is not None else queryset

        cards = SimpleLazyObject(
            lambda: attach_cards(
                list(of_topic(self.cards_of(ArticlePage), "topics")[:6]),
                list(of_topic(self.cards_of(InfographicPage), "topics")[:4]),
                list(of_topic(self.cards_of(VideoPage), "topics")[:3]),
            )
        )
        publications = self.live_publications(self.site_for(request))
        return {
            "articles": SimpleLazyObject(lambda: cards[0]),
            "infographics": SimpleLazyObject(lambda: cards[1]),
            "videos": SimpleLazyObject(lambda: cards[2]),
            "publications": SimpleLazyObject(lambda: list(of_topic(publications, "document__topics")[:5])),
        }

    @path("")
    def overview(self, request):
        return self.render(request, context_overrides=self.overview_context(request))

    @path("chu-de/<slug:slug>/", name="topic")
    def topic(self, request, slug):
        """One topic's newest news, infographics, videos and documents, each linking to its list so filtered."""
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404
        context = {"kind": "topic", "topic": topic, "query": f"?{TOPIC}={topic.slug}", **self.overview_context(request, topic)}
        return self.render(request, context_overrides=context, template="news57/pages/topic_page.html")

    @path("tin-tuc/", name="articles")
    def articles(self, request):
        return self.render(
            request,
            context_overrides=self.listing_context(request, ArticlePage, "articles"),
            template="news57/pages/section_listing.html",
        )

    @path("infographic/", name="infographics")
    def infographics(self, request):
        return self.render(
            request,
            context_overrides=self.listing_context(request, InfographicPage, "infographics"),
            template="news57/pages/section_listing.html",
        )

    @path("video/", name="videos")
    def videos(self, request):
        return self.render(
            request,
            context_overrides=self.listing_context(request, VideoPage, "videos"),
            template="news57/pages/section_listing.html",
        )

    @path("tim-kiem/", name="search")
    def search_results(self, request):
        """The section's search is made by the public layer (news57.public.search), which registers for this hook."""
        for serve in hooks.get_hooks(SERVE_SEARCH_HOOK):
            return serve(self, request)
        raise Http404

    def site_for(self, request):
        """The site this section belongs to: the one that answered the request (read already), else its own."""
        site = Site.find_for_request(request)
        if site is not None and self.path.startswith(site.root_page.path):
            return site
        return self.get_site()

    def live_publications(self, site=None):
        """This site's live publications, newest first, with what a listing shows (documents/item.html)."""
        return (
            Publication.objects.filter(site=site or self.get_site(), status=PublicationStatus.PUBLISHED)
            .select_related("document", "document__issuer")
            .only(*self.LISTED_DOCUMENT_FIELDS)
            .order_by("-published_at", "-pk")
        )

    # A document's line in a list; its text and search text, long and unread there, are left in the database.
    LISTED_DOCUMENT_FIELDS = (
        "published_at",
        "document__title",
        "document__slug",
        "document__code",
        "document__doc_type",
        "document__issued_on",
        "document__summary",
        "document__issuer__name",
    )

    def document_url(self, request, document):
        return self.get_url(request) + self.reverse_subpage("document", kwargs={"slug": document.slug})

    def linked_documents(self, request, site, documents):
        """Each document with the address of its page here, or None when this site does not carry it live."""
        documents = list(documents)
        live_ids = set(
            Publication.objects.filter(
                site=site, status=PublicationStatus.PUBLISHED, document__in=[d.pk for d in documents]
            ).values_list("document_id", flat=True)
        )
        return [
            {"document": d, "url": self.document_url(request, d) if d.pk in live_ids else None} for d in documents
        ]

    @path("van-ban/", name="documents")
    def documents(self, request):
        if request.GET.get("q", "").strip():
            # Words typed into the list's address are a search of the documents.
            query = QueryDict(mutable=True)
            query.update({"q": request.GET["q"], "muc": "van-ban"})
            return redirect(self.get_url(request) + self.reverse_subpage("search") + "?" + query.urlencode())
        publications = self.live_publications(self.site_for(request))
        form = FacetForm(request.GET, publications, document_facets())
        paginator = Paginator(form.narrow(publications), DOCUMENT_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("trang"))
        return self.render(
            request,
            context_overrides={
                "kind": "documents",
                "form": form,
                "filtered": bool(form.chosen),
                "page_obj": page_obj,
                "publications": page_obj.object_list,
            },
            template="news57/pages/document_list.html",
        )

    def serve_feed(self, request, kind, fmt):
        """Feeds out are made by the public layer (news57.public.feeds), which registers for this hook."""
        for serve in hooks.get_hooks(SERVE_FEED_HOOK):
            return serve(self, request, kind, fmt)
        raise Http404

    # Wagtail serves only paths of [\w-]+/ segments, so the feeds end in "rss/", not "rss.xml".
    @path("van-ban/rss/", name="documents_rss")
    def documents_rss(self, request):
        return self.serve_feed(request, "documents", "rss")

    @path("van-ban/atom/", name="documents_atom")
    def documents_atom(self, request):
        return self.serve_feed(request, "documents", "atom")

    @path("tin-tuc/rss/", name="news_rss")
    def news_rss(self, request):
        return self.serve_feed(request, "news", "rss")

    @path("tin-tuc/atom/", name="news_atom")
    def news_atom(self, request):
        return self.serve_feed(request, "news", "atom")

    @path("van-ban/<slug:slug>/", name="document")
    def document(self, request, slug):
        return self.serve_document(request, slug)

    @path("van-ban/<slug:slug>/" + PRINT_PATH, name="document_print")
    def document_print(self, request, slug):
        """The document as it prints: its text and particulars without the site around them."""
        return self.serve_document(request, slug, print_view=True)

    def serve_document(self, request, slug, print_view=False):
        site = self.site_for(request)
        publication = (
            Publication.objects.filter(site=site, document__slug=slug)
            .select_related("document", "document__issuer", "document__replaced_by")
            .first()
        )
        if publication is None or not (publication.is_live or publication.was_live):
            raise Http404
        document = publication.document
        context = {"kind": "document", "publication": publication, "document": document, "print_view": print_view}
        if publication.was_live and print_view:
            raise Http404
        if publication.was_live:
            # A reader who followed an old link learns what happened instead of meeting a bare 404.
            response = self.render(
                request, context_overrides=context, template="news57/pages/document_withdrawn.html"
            )
            response.status_code = 404
            return response
        status_links = self.linked_documents(
            request, site, [*document.amended_by.all(), *([document.replaced_by] if document.replaced_by else [])]
        )
        cited = self.linked_documents(request, site, document.cited_documents().order_by("-issued_on", "code"))
        held_keys = {entry["document"].code_key for entry in cited}
        context.update(
            {
                "amended_by": [entry for entry in status_links if entry["document"] != document.replaced_by],
                "replaced_by": [entry for entry in status_links if entry["document"] == document.replaced_by],
                "cited": cited,
                "cited_elsewhere": [code for code in document.cited_codes if code not in held_keys],
                "attachments": document.attachments.select_related("file"),
                "topics": document.topics.all(),
            }
        )
        return self.render(request, context_overrides=context, template="news57/pages/document_detail.html")


class SectionItemPage(RoutablePageMixin, BasePage):
    """An article, infographic or video of a section: dated, with topics, and a print view (ban-in/)."""

    lead = models.TextField(_("lead"), blank=True, help_text=_("The sapo shown under the title and in listings."))
    date = models.DateTimeField(_("publish date"), default=timezone.now)
    topics = ParentalManyToManyField("news57.Topic", verbose_name=_("topics"), blank=True)

    parent_page_types = ["news57.SectionPage"]
    subpage_types = []
    # The folded fields let a reader or editor who types without diacritics find the page:
    # the backends' tokenizers leave "chuyển", "số" and "đổi" as they are.
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("folded_title", boost=2),
        index.SearchField("folded_text"),
        index.AutocompleteField("folded_title"),
        index.FilterField("date"),
    ]

    class Meta:
        abstract = True

    def body_text(self):
        """What a reader reads on the page beyond its title and lead, as plain text."""
        return ""

    def readable_text(self):
        return "\n".join(filter(None, [self.lead, self.body_text()]))

    def folded_title(self):
        return folded_words(self.title)

    def folded_text(self):
        return folded_words(self.readable_text())

    @property
    def card_image_id(self):
        """The id of the image a card of this page draws (attach_cards fetches them all at once)."""
        return None

    @classmethod
    def with_cards(cls, queryset):
        """The pages, with what attach_cards needs to find their card pictures without a query per page."""
        return queryset

    # What a card (card.html) shows and links with. Read whole, SQLite sorted each article's body with
    # its date: two thirds of the newest-news query's SQL at 200 articles a section, and half its time.
    CARD_FIELDS = ("path", "depth", "title", "slug", "url_path", "live", "locale", "content_type", "lead", "date")
    # The field naming the card's picture, where the page has one (card_image_id reads it).
    CARD_PICTURE_FIELDS = ()

    @classmethod
    def cards(cls, queryset):
        """The pages as a listing's cards: what a card shows and what finds its picture, the rest left unread."""
        return cls.with_cards(queryset.only(*cls.CARD_FIELDS, *cls.CARD_PICTURE_FIELDS))

    def related_items(self, limit=4):
        """Live siblings sharing a topic, newest first; the newest siblings when none do."""
        parent = self.get_parent()
        siblings = type(self).objects.filter(children_of(parent)).live().public().exclude(pk=self.pk).order_by("-date")
        siblings = type(self).cards(siblings)
        # A draft or preview holds its topics in memory, where values_list() is unavailable.
        topic_ids = [topic.pk for topic in self.topics.all()]
        related = list(siblings.filter(topics__in=topic_ids).distinct()[:limit]) if topic_ids else []
        if len(related) < limit:
            seen = {page.pk for page in related}
            related += [page for page in siblings[: limit * 2] if page.pk not in seen][: limit - len(related)]
        return attach_cards(related)[0]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only where shown: the print view leaves the related items out.
        context["related"] = SimpleLazyObject(self.related_items)
        context["section"] = self.get_parent().specific
        return context

    @path(PRINT_PATH, name="print")
    def print_view(self, request):
        """The item as it prints: its words and pictures without the site around them."""
        return self.render(request, context_overrides={"print_view": True})


class ArticlePage(SectionItemPage):
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_caption = models.CharField(_("hero image caption"), max_length=500, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    source_name = models.CharField(_("source"), max_length=255, blank=True)
    source_url = models.URLField(_("source link"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_caption")], heading=_("Hero image")),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author"), FieldPanel("source_name"), FieldPanel("source_url")],
            heading=_("Author and source"),
        ),
        FieldPanel("topics"),
    ]
    search_fields = SectionItemPage.search_fields + [index.SearchField("body")]
    template = "news57/pages/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    CARD_PICTURE_FIELDS = ("hero_image",)

    @property
    def card_image_id(self):
        return self.hero_image_id

    def body_text(self):
        return "\n".join(filter(None, [self.hero_caption, stream_text(self.body)]))


class InfographicPage(SectionItemPage):
    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        InlinePanel("images", label=_("Images"), min_num=1),
        FieldPanel("date"),
        FieldPanel("topics"),
    ]
    template = "news57/pages/infographic_page.html"

    class Meta:
        verbose_name = _("infographic")
        verbose_name_plural = _("infographics")

    def body_text(self):
        # What the images say is the infographic's text: its long descriptions are written for that.
        described = [
            text for image in self.images.all() for text in (image.caption, image.alt_text, image.long_description)
        ]
        return "\n".join(filter(None, described))

    @classmethod
    def with_cards(cls, queryset):
        first = InfographicImage.objects.filter(page=OuterRef("pk")).order_by("sort_order", "pk").values("image_id")
        return queryset.annotate(first_image_id=Subquery(first[:1]))

    @classmethod
    def find_first_images(cls, pages):
        """Reads, in one query, the first image's id of the pages not fetched through with_cards."""
        missing = [page for page in pages if not hasattr(page, "first_image_id")]
        if not missing:
            return
        first = {}
        rows = InfographicImage.objects.filter(page__in=missing).order_by("sort_order", "pk")
        for page_id, image_id in rows.values_list("page_id", "image_id"):
            first.setdefault(page_id, image_id)
        for page in missing:
            page.first_image_id = first.get(page.pk)

    @property
    def card_image_id(self):
        if not hasattr(self, "first_image_id"):
            type(self).find_first_images([self])
        return self.first_image_id

    @property
    def first_image(self):
        # all(), not first(): first() queries again even when the images were fetched with the page.
        images = list(self.images.all())
        return images[0].image if images else None


class InfographicImage(Orderable):
    page = ParentalKey(InfographicPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.PROTECT, related_name="+"
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=500,
        help_text=_("A short description read by screen readers in place of the image."),
    )
    long_description = models.TextField(
        _("long description"),
        help_text=_("Everything the image says, in words, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("long_description"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("infographic image")
        verbose_name_plural = _("infographic images")


class VideoPage(SectionItemPage):
    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An MP4 (H.264) or WebM file; it plays in the page and can be skipped through on phones."),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    embed_url = models.URLField(
        _("embed link"), blank=True, help_text=_("A YouTube or similar link, when there is no uploaded file.")
    )
    transcript = models.TextField(_("transcript"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        FieldPanel("video_file"),
        FieldPanel("poster"),
        FieldPanel("embed_url"),
        FieldPanel("transcript"),
        FieldPanel("date"),
        FieldPanel("topics"),
    ]
    template = "news57/pages/video_page.html"

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    search_fields = SectionItemPage.search_fields + [index.SearchField("transcript")]

    CARD_PICTURE_FIELDS = ("poster",)

    @property
    def card_image_id(self):
        return self.poster_id

    def body_text(self):
        return self.transcript

    def clean(self):
        super().clean()
        if bool(self.video_file_id) == bool(self.embed_url):
            raise ValidationError(_("Give either an uploaded video file or an embed link, not both or neither."))

    @property
    def video_mime_type(self):
        name = self.video_file.file.name.lower() if self.video_file else ""
        return "video/webm" if name.endswith(".webm") else "video/mp4"
