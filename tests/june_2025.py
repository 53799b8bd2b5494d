"""June 2025, counted by hand: the fixture the promptness figures, views, exports and command are checked against.

Lạng Sơn's commune (hoangvanthu): A on time, B late, C missing, D declined, E backfill (never counted),
F due in July by Vietnam time (not June's), G on time at the month's last evening. The province (langson):
H on time. Lai Châu's office (vpubnd-laichau), another province: L on time, a document of the Government.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from news57.models import DirectiveDocument, Publication, PublicationStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DECLINE_REASON = "Không thuộc phạm vi"


def vn(*args):
    return datetime(*args, tzinfo=VN)


ROWS = {
    # name: (site, due, source time, first seen, went live, other fields)
    "A": ("hoangvanthu", vn(2025, 6, 10, 17), vn(2025, 6, 9, 17), vn(2025, 6, 9, 17, 30), vn(2025, 6, 10, 9), {}),
    "B": ("hoangvanthu", vn(2025, 6, 12, 17), vn(2025, 6, 11, 17), vn(2025, 6, 11, 18), vn(2025, 6, 13, 17), {}),
    "C": ("hoangvanthu", vn(2025, 6, 20, 17), vn(2025, 6, 19, 17), None, None, {}),
    "D": ("hoangvanthu", vn(2025, 6, 25, 17), vn(2025, 6, 24, 17), None, None,
          {"status": PublicationStatus.DECLINED, "reason": DECLINE_REASON}),
    "E": ("hoangvanthu", vn(2025, 6, 28, 17), vn(2025, 6, 27, 17), None, None, {"is_backfill": True}),
    "F": ("hoangvanthu", vn(2025, 7, 1, 0, 30), vn(2025, 6, 30, 0, 30), None, vn(2025, 6, 30, 9), {}),
    "G": ("hoangvanthu", vn(2025, 6, 30, 23, 30), vn(2025, 6, 30, 8), None, vn(2025, 6, 30, 20), {}),
    "H": ("langson", vn(2025, 6, 15, 17), vn(2025, 6, 14, 8), None, vn(2025, 6, 14, 10), {}),
    "L": ("vpubnd-laichau", vn(2025, 6, 18, 17), vn(2025, 6, 17, 8), None, vn(2025, 6, 18, 9), {}),
}  # fmt: skip
ISSUERS = {"L": "chinh-phu"}


def add_june(platform):
    for name, (slug, due, source_time, seen, live, extra) in ROWS.items():
        issuer = platform[ISSUERS.get(name, "langson")].agency
        document = DirectiveDocument.objects.create(code=f"{ord(name)}/KH-UBND", title=f"Kế hoạch {name}", issuer=issuer)
        status = PublicationStatus.PUBLISHED if live else PublicationStatus.QUEUED
        Publication.objects.create(
            document=document, site=platform[slug].site, due_at=due, source_time=source_time, first_seen_at=seen,
            obligated_at=source_time, published_at=live, **{"status": status, **extra},
        )  # fmt: skip
    return platform
