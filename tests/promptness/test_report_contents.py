"""The periodic report counts what each agency itself published in the period: news, infographics and videos,
by the day they first went live (Vietnam time), on that agency's own site only."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Site

from news57.models import ArticlePage, SectionPage, VideoPage
from news57.promptness.periods import Period
from news57.promptness.reports import make_report

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NUMBERS = itertools.count(1)


def section_of(platform, slug):
    return SectionPage.objects.descendant_of(platform[slug].site.root_page).first()


def add(section, page_class, title, first_live, **fields):
    slug = f"trang-{next(NUMBERS)}"
    return section.add_child(
        instance=page_class(title=title, slug=slug, lead="Tóm tắt", live=True, first_published_at=first_live, **fields)
    )


def test_news_and_videos_are_counted_by_the_day_they_first_went_live_on_the_agency_s_own_site(platform):
    commune, province = section_of(platform, "hoangvanthu"), section_of(platform, "langson")
    add(commune, ArticlePage, "Tin tháng Sáu", datetime(2025, 6, 3, 9, tzinfo=VN))
    add(commune, ArticlePage, "Tin đêm cuối tháng", datetime(2025, 6, 30, 23, 30, tzinfo=VN))  # 16:30 UTC
    add(commune, ArticlePage, "Tin đầu tháng Bảy", datetime(2025, 7, 1, 0, 30, tzinfo=VN))  # 30 June in UTC
    add(commune, VideoPage, "Video hội nghị", datetime(2025, 6, 12, 8, tzinfo=VN), embed_url="https://youtu.be/x")
    add(province, ArticlePage, "Tin của tỉnh", datetime(2025, 6, 5, 8, tzinfo=VN))
    sites = [Site.objects.select_related("agency").get(pk=platform[slug].site.pk) for slug in ("hoangvanthu", "langson")]
    report = make_report(Period.parse("2025-06"), sites, None)
    by_agency = {site.agency: site.content for site in report.figures}
    assert by_agency[platform["hoangvanthu"].agency.name] == {"article": 2, "infographic": 0, "video": 1}
    assert by_agency[platform["langson"].agency.name] == {"article": 1, "infographic": 0, "video": 0}
    assert report.total.content == {"article": 3, "infographic": 0, "video": 1}
