"""The demo's feed chain: the province polls the central portal, its agencies poll the province.

Both are feeds of this same installation, read over HTTP like any other
source, so a document published on the central portal reaches the commune
two hops down with nobody touching it. `make run` allows the fetcher to
reach these two hosts (NEWS57_FETCH_ALLOW_HOSTS); nothing else is opened.
"""

from django.db import transaction

from ..models import DeadlineClock, DeadlineRule, DeadlineUnit, Source, Subscription

# Data shown to administrators, so written in Vietnamese. The law's default, and the two a province may set;
# the demo province uses one working day.
RULES = [
    ("5 ngày làm việc (Luật Tiếp cận thông tin, Điều 18)", DeadlineUnit.WORKING_DAYS, 5),
    ("1 ngày làm việc (quy định của tỉnh)", DeadlineUnit.WORKING_DAYS, 1),
    ("24 giờ kể từ khi cơ quan ban hành công bố", DeadlineUnit.HOURS, 24),
]
POLL_INTERVAL = 60


def feed_url(slug, port):
    suffix = "" if port == 80 else f":{port}"
    return f"http://{slug}.localhost{suffix}/nghi-quyet-57/van-ban/rss/"


def allowed_hosts(port):
    """What NEWS57_FETCH_ALLOW_HOSTS must name for the chain to run."""
    return ",".join(f"{slug}.localhost:{port}" for slug in ("trunguong", "langson"))


def demo_rule():
    """The province's rule, which the demo's subscriptions and its hand-carried documents are both held to."""
    name, unit, amount = RULES[1]
    return DeadlineRule.objects.get_or_create(
        name=name, defaults={"unit": unit, "amount": amount, "clock": DeadlineClock.ISSUER}
    )[0]


@transaction.atomic
def load_chain(setups, port=8000, poll_interval=POLL_INTERVAL):
    """The two sources and their subscriptions; safe to run again. Returns how many rows were created."""
    created = 0
    for name, unit, amount in RULES:
        _rule, new = DeadlineRule.objects.get_or_create(
            name=name, defaults={"unit": unit, "amount": amount, "clock": DeadlineClock.ISSUER}
        )
        created += new
    rule = demo_rule()
    central, new = Source.objects.get_or_create(
        url=feed_url("trunguong", port),
        defaults={
            "name": "Cổng thông tin Nghị quyết 57 trung ương (bản trình diễn)",
            "default_issuer": setups["chinh-phu"].agency,
            "agency": setups["trunguong"].agency,
            "level": "central",
            "poll_interval": poll_interval,
        },
    )
    created += new
    province, new = Source.objects.get_or_create(
        url=feed_url("langson", port),
        defaults={
            "name": "UBND tỉnh Lạng Sơn (bản trình diễn)",
            "default_issuer": setups["langson"].agency,
            "agency": setups["langson"].agency,
            "level": "province",
            "poll_interval": poll_interval,
        },
    )
    created += new
    langson = setups["langson"].agency
    # The province carries what the centre issues; its departments and communes carry what the province carries.
    for source, include_agency, include_below in ((central, True, False), (province, False, True)):
        _subscription, new = Subscription.objects.get_or_create(
            source=source,
            agency=langson,
            defaults={"include_agency": include_agency, "include_below": include_below, "deadline_rule": rule},
        )
        created += new
    return created
