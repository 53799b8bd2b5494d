"""`manage.py load_demo`: the demo's agencies, sites, content and accounts, safe to run again."""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from news57.demo.agencies import DEMO_AGENCIES, provision_demo_agencies
from news57.demo.content import load_content
from news57.demo.documents import load_directives
from news57.demo.history import YEAR, load_history
from news57.demo.report_deadlines import load_report_deadlines
from news57.demo.syndication import load_chain
from news57.demo.users import ensure_users


@contextmanager
def quiet_wagtail_log():
    """Wagtail logs every page it creates and publishes; the demo's summary says it in one line."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo agencies, sites, news, videos, directive documents, a year of their publications and "
        "accounts (adds nothing twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the demo sites answer on.")
        parser.add_argument(
            "--reset-passwords", action="store_true", help="Give existing demo accounts new passwords too."
        )

    def handle(self, *args, port, reset_passwords, **options):
        with quiet_wagtail_log():
            setups = provision_demo_agencies(port)
            created = load_content(setups)
        accounts, created["users"] = ensure_users(setups, reset_passwords=reset_passwords)
        # After the accounts, so the demo's publications name the editor who published them.
        with quiet_wagtail_log():
            created.update(load_directives(setups))
            created.update(load_history(setups))
            created["sources"] = load_chain(setups, port)
        created["report_deadlines"] = load_report_deadlines(setups)
        self.report_created(created)
        self.print_accounts(accounts)
        self.print_sites(port)

    def report_created(self, created):
        if not any(created.values()):
            self.stdout.write(_("Nothing new was added: the demo data was already loaded."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Added %(pages)d pages, %(images)d images, %(documents)d documents, "
                    "%(topics)d topics and %(users)d accounts."
                )
                % {kind: created[kind] for kind in ("pages", "images", "documents", "topics", "users")}
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Added %(directives)d directive documents and %(publications)d publications of them, and a year "
                    "of publications (%(year)d): %(history_directives)d documents, %(history_publications)d "
                    "publications."
                )
                % {
                    "year": YEAR,
                    **{
                        kind: created[kind]
                        for kind in ("directives", "publications", "history_directives", "history_publications")
                    },
                }
            )
        )

    def print_accounts(self, accounts):
        rows = [(_("Username"), _("Role"), _("Agency"), _("Password"))]
        for account in accounts:
            password = account.password or _("(unchanged)")
            rows.append((account.username, str(account.role_label), account.agency or "—", password))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        self.stdout.write("")
        self.stdout.write(_("Demo accounts (a password is shown only when it is set; keep it now):"))
        for row in rows:
            self.stdout.write("  " + "  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip())

    def print_sites(self, port):
        self.stdout.write("")
        self.stdout.write(_("Demo sites:"))
        for demo in DEMO_AGENCIES:
            if demo.has_site:
                self.stdout.write(f"  http://{demo.hostname}:{port}/  {demo.short_name}")
        self.stdout.write(
            _("http://127.0.0.1:%(port)d/ shows the central portal (the default site); the admin is at /admin/.")
            % {"port": port}
        )
