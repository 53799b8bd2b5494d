"""Count again the due times of a period's publications, by their rules and the calendar as they are now.

    recompute_deadlines --from 2025-01-01 --to 2025-06-30 --user admin [--agency hoangvanthu]

Every publication whose due time or rule changes gets a log entry naming the
superuser given; the admin's Tính lại hạn đăng tải screen does the same.
"""


from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...models import Agency
from ...promptness.periods import PeriodError, parse_day
from ...promptness.recompute import recompute


def _day(text):
    try:
        return parse_day(text)
    except PeriodError as error:
        raise CommandError(str(error), returncode=2) from None


class Command(BaseCommand):
    help = "Count again the due times of the publications whose obligation began in a period, logging each change."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first_day", required=True, help="The period's first day, 2025-01-01.")
        parser.add_argument("--to", dest="last_day", required=True, help="The period's last day, 2025-06-30.")
        parser.add_argument("--user", required=True, help="The superuser the log entries name.")
        parser.add_argument("--agency", help="Only this agency's site (its slug).")

    def handle(self, *args, first_day, last_day, user, agency=None, **options):
        first, last = _day(first_day), _day(last_day)
        if last < first:
            raise CommandError(_("The end of the period is before its start."), returncode=2)
        person = get_user_model().objects.filter(username=user, is_superuser=True, is_active=True).first()
        if person is None:
            raise CommandError(_("No active superuser is called “%(name)s”.") % {"name": user}, returncode=2)
        chosen = None
        if agency:
            chosen = Agency.objects.filter(slug=agency, site__isnull=False).first()
            if chosen is None:
                raise CommandError(_("No agency with a site has the slug “%(slug)s”.") % {"slug": agency}, returncode=2)
        result = recompute(first, last, person, agency=chosen)
        self.stdout.write(
            _("Due times recomputed: %(changed)d of %(examined)d publications changed, each change logged.")
            % {"changed": result.changed, "examined": result.examined}
        )
