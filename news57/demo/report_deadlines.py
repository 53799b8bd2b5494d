"""The demo's report deadlines: when each demo agency sends its periodic report, and to whom."""

from dataclasses import dataclass

from django.db import transaction

from ..models import ReportCovers, ReportDeadline, ReportFrequency

DEMO_NOTE = "(bản trình diễn)"
LANGSON_PLAN = f"Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn {DEMO_NOTE}"
LAICHAU_PLAN = f"Kế hoạch số 618/KH-VPUBND của Văn phòng UBND tỉnh Lai Châu {DEMO_NOTE}"
COMMUNE_PLAN = f"Kế hoạch thực hiện Nghị quyết 57 của UBND xã Hoàng Văn Thụ {DEMO_NOTE}"


@dataclass(frozen=True)
class DemoDeadline:
    agency: str
    frequency: str
    day: int
    month: int | None
    recipient: str
    basis: str
    covers: str = ReportCovers.CURRENT
    covers_subordinates: bool = False


LANGSON_DOST = "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"
LAICHAU_COMMITTEE = "UBND tỉnh Lai Châu"
COMMUNE_OFFICE = "Văn phòng HĐND và UBND xã Hoàng Văn Thụ"

DEMO_DEADLINES = [
    # Every agency of Lạng Sơn reports to the Department of Science and Technology twice a year.
    DemoDeadline("langson", ReportFrequency.HALF_YEAR, 10, 6, LANGSON_DOST, LANGSON_PLAN, covers_subordinates=True),
    DemoDeadline("langson", ReportFrequency.HALF_YEAR, 10, 12, LANGSON_DOST, LANGSON_PLAN, covers_subordinates=True),
    # A month is reported once it is over: the report due on 15 February is January's.
    DemoDeadline(
        "vpubnd-laichau", ReportFrequency.MONTH, 15, None, LAICHAU_COMMITTEE, LAICHAU_PLAN, covers=ReportCovers.PREVIOUS
    ),
    DemoDeadline("vpubnd-laichau", ReportFrequency.HALF_YEAR, 15, 6, LAICHAU_COMMITTEE, LAICHAU_PLAN),
    DemoDeadline("vpubnd-laichau", ReportFrequency.YEAR, 15, 12, LAICHAU_COMMITTEE, LAICHAU_PLAN),
    # The commune's units: 5 June for the first half-year, 5 January for the second half of the year before.
    DemoDeadline(
        "hoangvanthu", ReportFrequency.HALF_YEAR, 5, 6, COMMUNE_OFFICE, COMMUNE_PLAN, covers_subordinates=True
    ),
    DemoDeadline(
        "hoangvanthu", ReportFrequency.HALF_YEAR, 5, 1, COMMUNE_OFFICE, COMMUNE_PLAN,
        covers=ReportCovers.PREVIOUS, covers_subordinates=True,
    ),  # fmt: skip
]


@transaction.atomic
def load_report_deadlines(setups):
    """The demo agencies' report deadlines; safe to run again (a date already there is left as it is).

    `setups` is provision_demo_agencies()'s {slug: AgencySetup}. Returns how many were added.
    """
    created = 0
    for demo in DEMO_DEADLINES:
        deadline = ReportDeadline(
            agency=setups[demo.agency].agency, frequency=demo.frequency, day=demo.day, month=demo.month,
            recipient=demo.recipient, basis=demo.basis, covers=demo.covers,
            covers_subordinates=demo.covers_subordinates,
        )  # fmt: skip
        deadline.full_clean()
        _row, new = ReportDeadline.objects.get_or_create(
            agency=deadline.agency,
            frequency=demo.frequency,
            day=demo.day,
            month=demo.month,
            defaults={
                "recipient": demo.recipient,
                "basis": demo.basis,
                "covers": demo.covers,
                "covers_subordinates": demo.covers_subordinates,
            },
        )
        created += new
    return created
