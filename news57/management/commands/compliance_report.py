"""The periodic promptness report, without counting by hand.

    compliance_report --period 2025-H1 --format xlsx [--agency SLUG | --province SLUG] [--output FILE]
    compliance_report --from 2025-01-01 --to 2025-03-31 --format csv

Without --agency, one row per agency with a site (those of one province with
--province); without --output, the CSV goes to standard output and the workbook
to a file named after the period. The workbook also lists every counted document;
on a terminal a progress bar follows that list. Bad input is an error with exit code 2.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Site

from ...models import Agency, AgencyLevel
from ...promptness.periods import Period, PeriodError, parse_day
from ...promptness.reports import make_report
from ...promptness.spreadsheets import csv_text, workbook

BAR_WIDTH = 30


def _day(text):
    try:
        return parse_day(text)
    except PeriodError as error:
        raise CommandError(str(error), returncode=2) from None


class ProgressBar:
    """A bar redrawn on one terminal line as the rows go by; silent when standard error is not a terminal."""

    def __init__(self, stream, total, label):
        self.stream, self.total, self.label = stream, total, label
        self.shown = -1
        self.active = stream.isatty() and total > 0

    def follow(self, rows):
        done = 0
        for row in rows:
            yield row
            done += 1
            self.draw(done)
        self.finish()

    def draw(self, done):
        if not self.active:
            return
        percent = done * 100 // self.total
        if percent == self.shown:
            return
        self.shown = percent
        filled = BAR_WIDTH * done // self.total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self.total} ({percent}%)")
        self.stream.flush()

    def finish(self):
        if self.active:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Write the promptness report of a period, per agency, as XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="2025-06, 2025-H1 or 2025.")
        parser.add_argument("--from", dest="first_day", help="The first day of a custom period, 2025-01-01.")
        parser.add_argument("--to", dest="last_day", help="The last day of a custom period, 2025-03-31.")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--agency", help="Only this agency (its slug).")
        parser.add_argument("--province", help="Only the agencies of this province (its slug).")
        parser.add_argument("--output", help="The file to write.")

    def handle(self, *args, period=None, first_day=None, last_day=None, format="xlsx", agency=None, province=None,
               output=None, **options):  # fmt: skip
        chosen = self.period(period, first_day, last_day)
        sites, reporting = self.sites(agency, province)
        report = make_report(chosen, sites, reporting)
        if format == "csv":
            text = csv_text(report)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        target = Path(output or f"bao-cao-kip-thoi-{period or f'{first_day}-{last_day}'}.xlsx")
        bar = ProgressBar(sys.stderr, report.total.due, pgettext("directive documents", "Documents"))
        target.write_bytes(workbook(report, bar.follow(report.documents())))
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

    def sites(self, agency, province):
        """The sites reported on, and the agency whose report it is (None for every agency)."""
        sites = Site.objects.filter(agency__isnull=False).select_related("agency").order_by("agency__name")
        if agency and province:
            raise CommandError(_("Give --agency or --province, not both."), returncode=2)
        if agency:
            sites = sites.filter(agency__slug=agency)
            if not sites.exists():
                raise CommandError(_("No agency with a site has the slug “%(slug)s”.") % {"slug": agency}, returncode=2)
            return list(sites), sites[0].agency
        if province:
            chosen = Agency.objects.filter(slug=province, level=AgencyLevel.PROVINCE).first()
            if chosen is None:
                raise CommandError(_("No province has the slug “%(slug)s”.") % {"slug": province}, returncode=2)
            return list(sites.filter(agency__in=chosen.province_agencies())), chosen
        return list(sites), None
