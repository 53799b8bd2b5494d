"""The demo's agencies: who has a site, where it answers, and who reports to whom."""

from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Page, Site

from ..models import Agency
from ..provisioning import provision_agency


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    short_name: str
    level: str
    parent: str | None = None
    code_issuer: str = ""
    has_site: bool = True
    default_site: bool = False
    # Issuers besides itself and those below it whose canonical text it publishes.
    authoritative_for: tuple[str, ...] = ()

    @property
    def hostname(self):
        return f"{self.slug}.localhost"


DEMO_AGENCIES = [
    DemoAgency("bo-chinh-tri", "Bộ Chính trị", "Bộ Chính trị", "central", code_issuer="TW", has_site=False),
    DemoAgency("chinh-phu", "Chính phủ", "Chính phủ", "central", code_issuer="CP", has_site=False),
    DemoAgency("thu-tuong", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "central", code_issuer="TTg", has_site=False),
    DemoAgency(
        "trunguong",
        "Cổng thông tin Nghị quyết 57 (trung ương, bản trình diễn)",
        "Cổng trung ương",
        "central",
        default_site=True,
        authoritative_for=("bo-chinh-tri", "chinh-phu", "thu-tuong"),
    ),
    DemoAgency(
        "langson",
        "Ủy ban nhân dân tỉnh Lạng Sơn",
        "UBND tỉnh Lạng Sơn",
        "province",
        code_issuer="UBND",
        authoritative_for=("tinhuy-langson",),
    ),
    DemoAgency(
        "tinhuy-langson", "Ban Thường vụ Tỉnh ủy Lạng Sơn", "Tỉnh ủy Lạng Sơn", "province", code_issuer="TU", has_site=False
    ),
    DemoAgency("thanhtra-langson", "Thanh tra tỉnh Lạng Sơn", "Thanh tra tỉnh Lạng Sơn", "department", "langson", "TTr"),
    DemoAgency("hoangvanthu", "Ủy ban nhân dân xã Hoàng Văn Thụ", "UBND xã Hoàng Văn Thụ", "commune", "langson", "UBND"),
    DemoAgency("laichau", "Ủy ban nhân dân tỉnh Lai Châu", "UBND tỉnh Lai Châu", "province", code_issuer="UBND", has_site=False),
    DemoAgency(
        "vpubnd-laichau", "Văn phòng UBND tỉnh Lai Châu", "Văn phòng UBND tỉnh Lai Châu", "department", "laichau", "VPUBND"
    ),
]


@transaction.atomic
def provision_demo_agencies(port=8000):
    """Every demo agency with its site, groups and workflow; safe to run again."""
    remove_wagtail_welcome_page()
    setups = {}
    for demo in DEMO_AGENCIES:
        parent = Agency.objects.get(slug=demo.parent) if demo.parent else None
        setups[demo.slug] = provision_agency(
            name=demo.name,
            short_name=demo.short_name,
            level=demo.level,
            parent=parent,
            code_issuer=demo.code_issuer,
            slug=demo.slug,
            hostname=demo.hostname,
            port=port,
            with_site=demo.has_site,
        )
        if demo.default_site:
            site = setups[demo.slug].site
            Site.objects.exclude(pk=site.pk).filter(is_default_site=True).update(is_default_site=False)
            if not site.is_default_site:
                site.is_default_site = True
                site.save()
    for demo in DEMO_AGENCIES:
        if demo.authoritative_for:
            setups[demo.slug].agency.authoritative_for.add(*(setups[slug].agency for slug in demo.authoritative_for))
    return setups


def remove_wagtail_welcome_page():
    """Wagtail's first migration makes a "Welcome" page and site; the demo's sites replace them."""
    for page in Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page"):
        Site.objects.filter(root_page=page).delete()
        page.delete()
