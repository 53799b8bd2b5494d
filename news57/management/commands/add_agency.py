"""manage.py add_agency: everything a new agency needs, in one step, safe to run again."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

from news57.models import Agency, AgencyLevel
from news57.provisioning import HostTaken, provision_agency
from news57.text import slugify


class Command(BaseCommand):
    help = "Create an agency with its site, home and section pages, editor and leader groups, workflow and collection."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Full name, e.g. 'Ủy ban nhân dân xã Tân Thanh'.")
        parser.add_argument("--short-name", required=True, help="Short name used in group names.")
        parser.add_argument("--level", required=True, help=f"One of: {', '.join(AgencyLevel.values)}.")
        parser.add_argument("--parent", help="Slug of the parent agency (the province for a department or commune).")
        parser.add_argument("--slug", help="Defaults to the short name, folded.")
        parser.add_argument(
            "--code-issuer", default="", help="How its document codes name it, e.g. TTr in 262/KH-TTr (for feeds)."
        )
        parser.add_argument("--host", help="Host name of the site; defaults to <slug>.localhost.")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--no-site", action="store_true", help="An issuer only: no site, pages or groups.")

    def handle(self, *args, name, short_name, level, parent, slug, code_issuer, host, port, no_site, **options):
        if level not in AgencyLevel.values:
            raise CommandError(
                _("Unknown level “%(level)s”; use one of: %(levels)s.")
                % {"level": level, "levels": ", ".join(AgencyLevel.values)}
            )
        parent_agency = self._parent(parent)
        slug = slug or slugify(short_name)[:100]
        host = host or f"{slug}.localhost"
        if not no_site:
            self._check_host_is_free(host, port, slug)
        existed = Agency.objects.filter(slug=slug).exists()
        try:
            setup = provision_agency(
                name=name,
                short_name=short_name,
                level=level,
                parent=parent_agency,
                code_issuer=code_issuer.strip(),
                slug=slug,
                hostname=host,
                port=port,
                with_site=not no_site,
            )
        except HostTaken as taken:
            raise CommandError(self._host_taken_message(host, port, taken.owner)) from taken
        self._report(setup, existed)

    def _parent(self, slug):
        if not slug:
            return None
        parent = Agency.objects.filter(slug=slug).first()
        if parent is None:
            raise CommandError(_("No agency has the slug “%(slug)s”; create the parent agency first.") % {"slug": slug})
        return parent

    def _check_host_is_free(self, host, port, slug):
        site = Site.objects.filter(hostname=host, port=port).select_related("agency").first()
        owner = getattr(site, "agency", None) if site else None
        if site is not None and (owner is None or owner.slug != slug):
            raise CommandError(self._host_taken_message(host, port, owner or site))

    def _host_taken_message(self, host, port, owner):
        return _("The address %(host)s:%(port)s is already used by the site of “%(owner)s”.") % {
            "host": host,
            "port": port,
            "owner": owner,
        }

    def _report(self, setup, existed):
        line = self.stdout.write
        if existed:
            line(_("Agency “%(name)s” already existed; completed what was missing.") % {"name": setup.agency.name})
        else:
            line(self.style.SUCCESS(_("Created agency “%(name)s”.") % {"name": setup.agency.name}))
        if setup.site is None:
            line(_("No site: this agency only issues documents."))
        else:
            line(_("Site: %(url)s") % {"url": setup.site.root_url + "/"})
            line(_("Resolution 57 section: %(url)s") % {"url": setup.section.full_url})
            line(_("Editor group: %(group)s") % {"group": setup.editors.name})
            line(_("Leader group (approves): %(group)s") % {"group": setup.leaders.name})
            line(_("Image and document collection: %(collection)s") % {"collection": setup.collection.name})
        if setup.supervisors is not None:
            line(_("Provincial supervisor group: %(group)s") % {"group": setup.supervisors.name})
        if setup.administrators is not None:
            line(_("Provincial source administrator group: %(group)s") % {"group": setup.administrators.name})
