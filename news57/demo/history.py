"""A year of the demo's publications, so the supervisor's figures, charts and reports show real numbers.

The year is 2025, fixed rather than counted back from today so that the data and its
tests stay the same whatever the day: about 120 generated directive documents whose
publications all fall due in 2025 (Vietnam dates), so its months, both half-years and
the whole year are complete periods. It starts a few days after Resolution 57-NQ/TW
(22/12/2024), with the flurry of plans that followed it, so Tết Ất Tỵ (days off from
25/1 to 2/2/2025) falls in the busiest stretch: what is issued just before Tết is due
after it, and more of what falls due around it goes up late.

Each site carries what it must as its editors would (HABITS): the central portal nearly
always on time, the province mostly, its inspectorate and Lai Châu's office less so, the
commune often late; some are never put up (missing) and some declined with a reason.
The commune was formed on 1 July 2025, so only what was issued from then on is its to
carry. Everything here is long past due, so nothing waits.

Codes come from each issuer's own running numbers and never repeat a hand-written
document's (documents.DIRECTIVES); loading finds what a previous run made by the
document's identity (code, year, issuer), as load_directives does. The real actions
put them live or decline them, dated when that happened; then what the real flow
would have dated then is dated so too: when each was entered, its audit-log entries
and the deadline e-mails it would have triggered.
"""

import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db import transaction
from wagtail.models import Revision

from ..models import DirectiveDocument, Publication, PublicationLogEntry
from ..promptness.calendar import WORKDAY_START, WorkingCalendar
from ..promptness.deadlines import due_at
from ..promptness.warnings import WARNING_SHARE
from ..republishing.actions import DECLINE, PUBLISH, decline, publish
from ..vietnam_time import local
from ..vietnam_time import zone as vietnam_zone
from .content import BDHVS, CDS, CQS, DMST, KHCN, KTS, XHS
from .documents import CENTRAL_SITES, DIRECTIVES, LANGSON_SITES, SITE_ONLINE_SINCE, Directive, DirectiveLoader
from .syndication import demo_rule

YEAR = 2025
SEED = "news57 demo history 2025"
# Due in the week before Tết or the week after it: editors are away or catching up.
TET_RUSH = (date(2025, 1, 20), date(2025, 2, 9))
# The last two working days before Tết always get a document, so the year shows what Tết does to a due time.
BEFORE_TET = ((date(2025, 1, 23), "langson", "CV"), (date(2025, 1, 24), "thu-tuong", "CĐ"))
TET_SUBJECT = "bảo đảm thông suốt hệ thống thông tin, dịch vụ công trực tuyến trong dịp Tết Nguyên đán Ất Tỵ 2025"

# Documents issued each month: many plans right after the resolution, fewer later, the year's reviews at its end.
PER_MONTH = (16, 13, 12, 10, 9, 10, 11, 9, 8, 8, 7, 9)
ISSUER_WEIGHTS = {
    "bo-chinh-tri": 4,
    "chinh-phu": 8,
    "thu-tuong": 14,
    "langson": 34,
    "tinhuy-langson": 12,
    "laichau": 20,
}
ISSUER_SITES = {
    "bo-chinh-tri": CENTRAL_SITES,
    "chinh-phu": CENTRAL_SITES,
    "thu-tuong": CENTRAL_SITES,
    "langson": LANGSON_SITES,
    "tinhuy-langson": LANGSON_SITES,
    "laichau": ("vpubnd-laichau",),
}
ISSUER_NAMES = {
    "bo-chinh-tri": "Bộ Chính trị",
    "chinh-phu": "Chính phủ",
    "thu-tuong": "Thủ tướng Chính phủ",
    "langson": "UBND tỉnh Lạng Sơn",
    "tinhuy-langson": "Ban Thường vụ Tỉnh ủy Lạng Sơn",
    "laichau": "UBND tỉnh Lai Châu",
}
PARTY = {"bo-chinh-tri", "tinhuy-langson"}
# Whom a document sets to work, and where.
ADDRESSEES = {
    "bo-chinh-tri": ("các cấp ủy, tổ chức đảng", ""),
    "chinh-phu": ("các bộ, ngành, địa phương", ""),
    "thu-tuong": ("các bộ, ngành, địa phương", ""),
    "langson": ("các sở, ban, ngành, Ủy ban nhân dân các xã, phường", " trên địa bàn tỉnh"),
    "tinhuy-langson": ("các cấp ủy, tổ chức đảng", " trong Đảng bộ tỉnh"),
    "laichau": ("các sở, ban, ngành, Ủy ban nhân dân các xã, phường", " trên địa bàn tỉnh"),
}

# (type, weight) per issuer; "CV" is a letter: "1234/UBND-KGVX" from the State, "123-CV/TU" from the Party.
ISSUER_TYPES = {
    "bo-chinh-tri": (("KL", 3), ("CT", 1)),
    "chinh-phu": (("NQ", 1),),
    "thu-tuong": (("QĐ", 3), ("CT", 1), ("CĐ", 1), ("CV", 2)),
    "langson": (("KH", 4), ("QĐ", 2), ("CT", 1), ("CV", 4)),
    "tinhuy-langson": (("KH", 2), ("CT", 1), ("CV", 2)),
    "laichau": (("KH", 4), ("QĐ", 2), ("CV", 3)),
}
# Running numbers: (number on 1 January, numbers used a day). Some count one type, some share one count.
NUMBERING = {
    ("bo-chinh-tri", "KL"): (118, 0.35),
    ("bo-chinh-tri", "CT"): (40, 0.03),
    ("chinh-phu", "NQ"): (1, 0.8),
    ("thu-tuong", "QĐ"): (1, 7.0),
    ("thu-tuong", "CT"): (1, 0.1),
    ("thu-tuong", "CĐ"): (1, 0.4),
    ("thu-tuong", "CV"): (1, 3.0),
    ("langson", "KH"): (1, 0.95),
    ("langson", "QĐ"): (1, 6.0),
    ("langson", "CT"): (1, 0.05),
    ("langson", "CV"): (1, 5.0),
    ("tinhuy-langson", "KH"): (240, 0.4),
    ("tinhuy-langson", "CT"): (38, 0.03),
    ("tinhuy-langson", "CV"): (2100, 4.0),
    ("laichau", "KH"): (1, 13.9),
    ("laichau", "QĐ"): (1, 5.0),
    ("laichau", "CV"): (1, 13.9),
}
# Lai Châu's letters and plans share one register.
SHARED_REGISTER = {("laichau", "CV"): ("laichau", "KH")}
ISSUER_CODES = {
    "bo-chinh-tri": "TW",
    "chinh-phu": "CP",
    "thu-tuong": "TTg",
    "langson": "UBND",
    "tinhuy-langson": "TU",
    "laichau": "UBND",
}
LETTER_UNIT = "KGVX"
TYPE_NAMES = {
    "KL": "Kết luận",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CĐ": "Công điện",
    "CV": "Công văn",
    "KH": "Kế hoạch",
}
# How a type's title leads into its subject.
TYPE_LEADS = {
    "KL": " về ",
    "CT": " về ",
    "NQ": " về ",
    "QĐ": " ban hành Kế hoạch ",
    "CĐ": " về việc ",
    "CV": " về việc ",
    "KH": " ",
}

# (subject, topics, months it belongs to or () for any)
SUBJECTS = (
    ("triển khai phong trào “Bình dân học vụ số”", (BDHVS, CDS), ()),
    ("đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình", (CQS, CDS), ()),
    ("phát triển hạ tầng số và bảo đảm an toàn thông tin mạng", (CDS,), ()),
    ("thúc đẩy thanh toán không dùng tiền mặt", (KTS, CDS), ()),
    ("phát triển kinh tế số và xã hội số", (KTS, XHS), ()),
    ("hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo", (DMST,), ()),
    ("ứng dụng khoa học, công nghệ vào sản xuất nông nghiệp", (KHCN,), ()),
    ("xây dựng, cập nhật và khai thác cơ sở dữ liệu chuyên ngành", (CQS, CDS), ()),
    ("số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", (CQS,), ()),
    ("bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức", (CDS, BDHVS), ()),
    ("triển khai Đề án 06 về ứng dụng dữ liệu dân cư, định danh và xác thực điện tử", (CQS, CDS), ()),
    ("phát triển nguồn nhân lực chất lượng cao cho khoa học, công nghệ và đổi mới sáng tạo", (KHCN, DMST), ()),
    ("tháo gỡ vướng mắc về cơ chế tài chính cho hoạt động khoa học, công nghệ", (KHCN,), ()),
    ("chuyển đổi số trong giáo dục và y tế", (CDS, XHS), ()),
    ("thúc đẩy phong trào sáng kiến, cải tiến kỹ thuật", (DMST, KHCN), ()),
    ("thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", (KHCN, DMST, CDS), ()),
    (TET_SUBJECT, (CQS, CDS), (1,)),
    ("sơ kết 6 tháng đầu năm 2025 thực hiện Nghị quyết số 57-NQ/TW", (KHCN, DMST, CDS), (6, 7)),
    ("tổng kết năm 2025 thực hiện Nghị quyết số 57-NQ/TW, phương hướng nhiệm vụ năm 2026", (KHCN, DMST, CDS), (11, 12)),
)

SIGNERS = {
    ("bo-chinh-tri", "KL"): "T/M Bộ Chính trị, Thường trực Ban Bí thư",
    ("bo-chinh-tri", "CT"): "T/M Bộ Chính trị, Tổng Bí thư",
    ("chinh-phu", "NQ"): "TM. Chính phủ, Thủ tướng",
    ("thu-tuong", "QĐ"): "KT. Thủ tướng, Phó Thủ tướng",
    ("thu-tuong", "CT"): "Thủ tướng",
    ("thu-tuong", "CĐ"): "Thủ tướng",
    ("thu-tuong", "CV"): "KT. Thủ tướng, Phó Thủ tướng",
    ("tinhuy-langson", "KH"): "T/M Ban Thường vụ, Phó Bí thư",
    ("tinhuy-langson", "CT"): "T/M Ban Thường vụ, Bí thư",
    ("tinhuy-langson", "CV"): "T/L Ban Thường vụ, Chánh Văn phòng",
}
PROVINCE_SIGNERS = {
    "KH": "KT. Chủ tịch, Phó Chủ tịch",
    "QĐ": "TM. Ủy ban nhân dân, Chủ tịch",
    "CT": "Chủ tịch",
    "CV": "TM. Ủy ban nhân dân, KT. Chủ tịch, Phó Chủ tịch",
}
HISTORY_NOTE = "Văn bản trình diễn, tạo tự động cho số liệu đăng tải năm 2025; không phải văn bản gốc."

ON_TIME, LATE, MISSING, DECLINED = "on_time", "late", "missing", "declined"


@dataclass(frozen=True)
class Habit:
    """How a site's editors carry what they must: weights of the outcomes, and how far past its due day a late
    one may go up (working days)."""

    on_time: int
    late: int
    missing: int
    declined: int
    late_days: int
    reasons: tuple = ()

    def weights(self, *, rush, entered_here):
        on_time, late = (self.on_time // 2, self.late * 2) if rush else (self.on_time, self.late)
        # Those who entered a document never decline it, nor leave it unpublished.
        missing, declined = (0, 0) if entered_here else (self.missing, self.declined)
        return {ON_TIME: on_time, LATE: late, MISSING: missing, DECLINED: declined}


HABITS = {
    "trunguong": Habit(on_time=94, late=5, missing=1, declined=0, late_days=1),
    "langson": Habit(
        on_time=84,
        late=10,
        missing=3,
        declined=3,
        late_days=2,
        reasons=("Văn bản hướng dẫn nghiệp vụ nội bộ của ngành, không thuộc diện đăng tải trên cổng thông tin.",),
    ),
    "thanhtra-langson": Habit(
        on_time=64,
        late=20,
        missing=8,
        declined=8,
        late_days=4,
        reasons=(
            "Không thuộc lĩnh vực quản lý của Thanh tra tỉnh.",
            "Nội dung chỉ giao nhiệm vụ cho các sở, ngành chuyên môn, không thuộc phạm vi của Thanh tra tỉnh.",
        ),
    ),
    "hoangvanthu": Habit(
        on_time=40,
        late=42,
        missing=10,
        declined=8,
        late_days=8,
        reasons=(
            "Không thuộc phạm vi quản lý của xã.",
            "Văn bản chỉ đạo các sở, ngành cấp tỉnh; xã không được giao nhiệm vụ triển khai.",
        ),
    ),
    "vpubnd-laichau": Habit(
        on_time=72,
        late=16,
        missing=7,
        declined=5,
        late_days=3,
        reasons=("Không thuộc phạm vi nhiệm vụ của Văn phòng UBND tỉnh.",),
    ),
}


@dataclass(frozen=True)
class Outcome:
    """What became of one site's publication: on time, `days` working days late, never put up, or declined.

    `days` counts working days after the obligation's day (on time, declined) or the due day (late);
    `minutes` after 08:00 of that day is when it happened.
    """

    kind: str
    days: int = 0
    minutes: int = 0
    reason: str = ""


@dataclass(frozen=True)
class HistoryDocument(Directive):
    outcomes: tuple = ()  # (site slug, Outcome) per site it is obligated to


def formatted(day):
    """The date as Decree 30 writes it: "05/3/2025", "09/01/2025"."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def code(issuer, type_code, number):
    if issuer in PARTY:
        return f"{number:02d}-{type_code}/{ISSUER_CODES[issuer]}"
    if type_code == "CV":
        return f"{number}/{ISSUER_CODES[issuer]}-{LETTER_UNIT}"
    return f"{number:02d}/{type_code}-{ISSUER_CODES[issuer]}"


def signer(issuer, type_code):
    return SIGNERS.get((issuer, type_code)) or PROVINCE_SIGNERS[type_code]


class Planner:
    """The year's documents and outcomes, the same on every run: a seeded generator, consumed in one order."""

    def __init__(self):
        self.random = random.Random(SEED)
        self.calendar = WorkingCalendar()  # the official calendar: the plan must not change with the admin's days
        self.numbers = {}
        # No code twice in the demo, whatever the issuer, so that a hand-written document is never mistaken for one.
        self.taken = {item.code for item in DIRECTIVES}

    def documents(self):
        items = []
        for month, count in enumerate(PER_MONTH, start=1):
            fixed = [(day, issuer, type_code) for day, issuer, type_code in BEFORE_TET if day.month == month]
            days = self.random.choices(self.working_days(month), k=count - len(fixed))
            issuers = self.random.choices(list(ISSUER_WEIGHTS), weights=list(ISSUER_WEIGHTS.values()), k=len(days))
            chosen = [(day, issuer, self.type_of(issuer)) for day, issuer in zip(days, issuers)]
            for day, issuer, type_code in sorted(chosen + fixed):
                items.append(self.document(day, issuer, type_code))
        return items

    def working_days(self, month):
        """The month's working days whose next working day is still in the year, so every due time is in it."""
        day, days = date(YEAR, month, 1), []
        while day.month == month:
            if self.calendar.is_working_day(day) and self.calendar.next_working_day(day).year == YEAR:
                days.append(day)
            day += timedelta(days=1)
        return days

    def type_of(self, issuer):
        types, weights = zip(*ISSUER_TYPES[issuer])
        return self.random.choices(types, weights=weights)[0]

    def number(self, issuer, type_code, day):
        register = SHARED_REGISTER.get((issuer, type_code), (issuer, type_code))
        first, per_day = NUMBERING[register]
        counted = round(first + per_day * (day.timetuple().tm_yday - 1) + self.random.uniform(0, per_day))
        number = max(counted, self.numbers.get(register, 0) + 1)
        while code(issuer, type_code, number) in self.taken:
            number += 1
        self.numbers[register] = number
        self.taken.add(code(issuer, type_code, number))
        return number

    def subject(self, day):
        subjects = [item for item in SUBJECTS if not item[2] or day.month in item[2]]
        return self.random.choice(subjects)[:2]

    def document(self, day, issuer, type_code):
        number = self.number(issuer, type_code, day)
        subject, topics = (TET_SUBJECT, (CQS, CDS)) if (day, issuer, type_code) in BEFORE_TET else self.subject(day)
        addressees, scope = ADDRESSEES[issuer]
        name = ISSUER_NAMES[issuer]
        if type_code == "CT" and issuer in ("langson", "laichau"):
            name = f"Chủ tịch {name}"
        the_code = code(issuer, type_code, number)
        heading = f"{TYPE_NAMES[type_code]} số {the_code} ngày {formatted(day)} của {name}"
        title = f"{heading}{TYPE_LEADS[type_code]}{subject}{scope}"
        body = (
            f"{ISSUER_NAMES[issuer]} yêu cầu {addressees} tập trung {subject}{scope}, bảo đảm thực chất, hiệu quả, "
            "đúng tiến độ; định kỳ báo cáo kết quả thực hiện.",
            "Các cơ quan, đơn vị đăng tải văn bản này trên chuyên mục Nghị quyết 57 của cổng thông tin điện tử theo "
            "quy định.",
            HISTORY_NOTE,
        )
        sites = tuple(slug for slug in ISSUER_SITES[issuer] if day >= SITE_ONLINE_SINCE.get(slug, day))
        item = HistoryDocument(
            the_code,
            issuer,
            day,
            title,
            f"{subject[0].upper()}{subject[1:]}{scope}.",
            signer(issuer, type_code),
            body,
            topics,
            sites,
        )
        due = self.calendar.add_working_days(datetime.combine(day, WORKDAY_START, tzinfo=vietnam_zone()), 1)
        rush = TET_RUSH[0] <= due.date() <= TET_RUSH[1]
        outcomes = tuple((slug, self.outcome(HABITS[slug], rush, slug == item.entered_by)) for slug in sites)
        return replace(item, outcomes=outcomes)

    def outcome(self, habit, rush, entered_here):
        weights = habit.weights(rush=rush, entered_here=entered_here)
        kind = self.random.choices(list(weights), weights=list(weights.values()))[0]
        if kind == ON_TIME:
            return Outcome(ON_TIME, 0, self.random.randint(20, 500))
        if kind == LATE:
            most = habit.late_days + (2 if rush else 0)
            return Outcome(LATE, self.random.randint(0, most), self.random.randint(5, 540))
        if kind == DECLINED:
            days, minutes = self.random.randint(0, 2), self.random.randint(30, 480)
            return Outcome(DECLINED, days, minutes, self.random.choice(habit.reasons))
        return Outcome(MISSING)


def plan():
    """The year's documents, each with the outcome of each of its publications; the same on every call."""
    return Planner().documents()


HISTORY = plan()


class HistoryLoader(DirectiveLoader):
    """Adds the year's documents and acts on their publications as each site's editors did."""

    def __init__(self, setups):
        super().__init__(setups)
        self.rule = demo_rule()
        self.editors = {}
        self.entered = []  # (document, when it was entered) for the documents added now
        self.acted = []  # publications added now

    def editor(self, slug):
        if slug not in self.editors:
            self.editors[slug] = super().editor(slug)
        return self.editors[slug]

    def publications(self, document, item):
        start = datetime.combine(item.issued_on, WORKDAY_START, tzinfo=vietnam_zone())
        due = due_at(self.rule.unit, self.rule.amount, start, self.calendar)
        obligation = {"obligated_at": start, "due_at": due, **self.rule.terms}
        for slug, outcome in item.outcomes:
            site = self.agencies[slug].site
            publication, created = Publication.objects.get_or_create(document=document, site=site, defaults=obligation)
            if not created:
                continue
            self.created["publications"] += 1
            self.acted.append(self.act(publication, slug, outcome))

    def act(self, publication, slug, outcome):
        if outcome.kind == ON_TIME:
            return publish(publication, self.editor(slug), at=self.moment(publication.obligated_at, 0, outcome.minutes))
        if outcome.kind == LATE:
            at = self.moment(publication.due_at, outcome.days, outcome.minutes)
            return publish(publication, self.editor(slug), at=max(at, publication.due_at + timedelta(minutes=5)))
        if outcome.kind == DECLINED:
            publication = decline(publication, self.editor(slug), outcome.reason)
            # The action dates a decision now; this one was taken back then.
            publication.decided_at = self.moment(publication.obligated_at, outcome.days, outcome.minutes)
        return publication

    def moment(self, start, days, minutes):
        """`minutes` after 08:00 of the working day `days` after the day of `start`."""
        day = self.calendar.add_working_days(start, days) if days else start
        return datetime.combine(local(day).date(), WORKDAY_START, tzinfo=vietnam_zone()) + timedelta(minutes=minutes)

    def document(self, item):
        document, created = super().document(item)
        if created:
            self.entered.append((document, datetime.combine(item.issued_on, WORKDAY_START, tzinfo=vietnam_zone())))
        return document, created

    def date_as_then(self):
        """Date what the real flow would have dated when it happened, not now: entries, log, deadline e-mails."""
        for document, entered in self.entered:
            document.created_at = entered
        DirectiveDocument.objects.bulk_update([document for document, _entered in self.entered], ["created_at"])
        entered = {document.latest_revision_id: when for document, when in self.entered}
        revisions = list(Revision.objects.filter(pk__in=entered))
        for revision in revisions:
            revision.created_at = entered[revision.pk]
        Revision.objects.bulk_update(revisions, ["created_at"], batch_size=500)
        for publication in self.acted:
            publication.created_at = publication.obligated_at
            publication.warning_sent_at, publication.overdue_sent_at = deadline_emails(publication)
        Publication.objects.bulk_update(
            self.acted, ["created_at", "decided_at", "warning_sent_at", "overdue_sent_at"], batch_size=500
        )
        decided = {publication.pk: publication.decided_at for publication in self.acted}
        entries = list(PublicationLogEntry.objects.filter(publication_id__in=decided, action__in=(PUBLISH, DECLINE)))
        for entry in entries:
            entry.timestamp = decided[entry.publication_id]
        PublicationLogEntry.objects.bulk_update(entries, ["timestamp"], batch_size=500)


def deadline_emails(publication):
    """When the warning and the overdue notice went out, as news57.promptness.warnings sends them to a queued
    publication: the warning once WARNING_SHARE of the time has gone, the notice at the due time."""
    left_queue = publication.decided_at
    warn_at = publication.obligated_at + (publication.due_at - publication.obligated_at) * WARNING_SHARE
    overdue = publication.due_at if left_queue is None or left_queue >= publication.due_at else None
    warned = warn_at if left_queue is None or left_queue >= warn_at else None
    return warned, overdue


@transaction.atomic
def load_history(setups):
    """The year's documents and their publications; returns what was created, by kind."""
    loader = HistoryLoader(setups)
    for item in HISTORY:
        document, _created = loader.document(item)
        loader.publications(document, item)
    loader.date_as_then()
    return Counter(
        {"history_directives": loader.created["directives"], "history_publications": loader.created["publications"]}
    )
