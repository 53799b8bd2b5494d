"""The periodic promptness report, without counting by hand.

    compliance_report --period 2025-H1 --format xlsx [--agency SLUG] [--output FILE]
    compliance_report --from 2025-01-01 --to 2025-03-31 --format csv

Without --agency, one row per agency with a site; without --output, the CSV goes to
standard output and the workbook to a file named after the period. Bad input is an
error with exit code 2.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

from ...promptness.figures import site_figures
from ...promptness.periods import Period, PeriodError, parse_day
from ...promptness.spreadsheets import csv_text, workbook


def _day(text):
    try:
        return parse_day(text)
    except PeriodError as error:
        raise CommandError(str(error), returncode=2) from None


class Command(BaseCommand):
    help = "Write the promptness report of a period, per agency, as XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="2025-06, 2025-H1 or 2025.")
        parser.add_argument("--from", dest="first_day", help="The first day of a custom period, 2025-01-01.")
        parser.add_argument("--to", dest="last_day", help="The last day of a custom period, 2025-03-31.")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--agency", help="Only this agency (its slug).")
        parser.add_argument("--output", help="The file to write.")

    def handle(self, *args, period=None, first_day=None, last_day=None, format="xlsx", agency=None, output=None,
               **options):  # fmt: skip
        chosen = self.period(period, first_day, last_day)
        sites = Site.objects.filter(agency__isnull=False).select_related("agency").order_by("agency__name")
        if agency:
            sites = sites.filter(agency__slug=agency)
            if not sites.exists():
                raise CommandError(_("No agency with a site has the slug “%(slug)s”.") % {"slug": agency}, returncode=2)
        sites = list(sites)
        figures = site_figures(chosen, self.progress(sites))
        if format == "csv":
            text = csv_text(figures)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        target = Path(output or f"bao-cao-kip-thoi-{period or f'{first_day}-{last_day}'}.xlsx")
        target.write_bytes(workbook(chosen, figures))
        self.stderr.write(_("Written: %(file)s") % {"file": target})

    def period(self, period, first_day, last_day):
        try:
            if period and not (first_day or last_day):
                return Period.parse(period)
            if first_day and last_day and not period:
                return Period.between(_day(first_day), _day(last_day))
        except PeriodError as error:
            raise CommandError(str(error), returncode=2) from None
        raise CommandError(_("Give either --period, or both --from and --to."), returncode=2)

    def progress(self, sites):
        """The sites, announced on standard error when that is a terminal (one query counts them all)."""
        if sys.stderr.isatty() and sites:
            self.stderr.write(_("Counting %(count)d agencies…") % {"count": len(sites)})
        return sites
