"""How much of each catalogue the admin draws from reads in Vietnamese: `manage.py translation_coverage`.

Counted against each package's English catalogue (Wagtail's and Django's Vietnamese
ones hold only what they translate), a message is translated when the catalogue
Django builds for Vietnamese (ours, the overrides, the package's own) has it. Exit
code 1 when a catalogue is below --minimum. The browser's count of what the screens
show is tests/e2e/test_admin_language_screens.py.
"""

import json

from django.core.management.base import BaseCommand

from ..catalogues import CATALOGUES, coverage


class Command(BaseCommand):
    help = "Share of each Wagtail, Django, django-filter and taggit catalogue translated into Vietnamese."

    def add_arguments(self, parser):
        parser.add_argument("--minimum", type=float, default=0, help="fail below this share (0–100) in any catalogue")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print JSON instead of a table")

    def handle(self, *args, minimum, as_json, **options):
        rows = [coverage(catalogue) for catalogue in CATALOGUES]
        if as_json:
            self.stdout.write(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=1))
        else:
            self.stdout.write(f"{'catalogue':28} {'msgids':>7} {'package':>8} {'ours':>6} {'missing':>8} {'share':>7}")
            for row in rows:
                self.stdout.write(
                    f"{row.name:28} {row.total:7d} {row.by_package:8d} {row.by_us:6d} {len(row.missing):8d}"
                    f" {row.share:6.1f}%"
                )
        below = [row.name for row in rows if row.share < minimum]
        if below:
            self.stderr.write(f"below {minimum}%: {', '.join(below)}")
            raise SystemExit(1)
