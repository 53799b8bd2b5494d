"""The gettext catalogues the admin draws from, and how much of each reads in Vietnamese.

Wagtail's and Django's Vietnamese catalogues hold only what they translate, so each
is counted against the package's English one (django-filter ships none: its French
one lists the same msgids). A message counts as translated when the catalogue Django
builds for Vietnamese has it: ours (`locale/`), the overrides (`locale_overrides/`)
or the package's own.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import django
import django_filters
import polib
import taggit
import wagtail
from django.conf import settings
from django.utils.translation import trans_real

WAGTAIL = Path(wagtail.__file__).parent
DJANGO = Path(django.__file__).parent


@dataclass(frozen=True)
class Catalogue:
    name: str
    locale_dir: Path  # the package's locale folder
    domain: str = "django"
    source_language: str = "en"

    @property
    def source(self):
        return self.locale_dir / self.source_language / "LC_MESSAGES" / f"{self.domain}.po"

    @property
    def own_vietnamese(self):
        return self.locale_dir / "vi" / "LC_MESSAGES" / f"{self.domain}.po"


def _wagtail(name, folder, domain="django"):
    return Catalogue(name, WAGTAIL / folder / "locale", domain)


# The installed apps' catalogues (wagtail.locales, search promotions and the like are not installed).
CATALOGUES = [
    _wagtail("wagtail.admin", "admin"),
    _wagtail("wagtail.admin (JavaScript)", "admin", "djangojs"),
    Catalogue("wagtail", WAGTAIL / "locale"),
    _wagtail("wagtail.images", "images"),
    _wagtail("wagtail.documents", "documents"),
    _wagtail("wagtail.snippets", "snippets"),
    _wagtail("wagtail.users", "users"),
    _wagtail("wagtail.sites", "sites"),
    _wagtail("wagtail.embeds", "embeds"),
    _wagtail("wagtail.search", "search"),
    _wagtail("wagtail.contrib.forms", "contrib/forms"),
    _wagtail("wagtail.contrib.redirects", "contrib/redirects"),
    _wagtail("wagtail.contrib.settings", "contrib/settings"),
    _wagtail("wagtail.contrib.table_block", "contrib/table_block"),
    Catalogue("django", DJANGO / "conf" / "locale"),
    Catalogue("django.contrib.auth", DJANGO / "contrib" / "auth" / "locale"),
    Catalogue("django.contrib.contenttypes", DJANGO / "contrib" / "contenttypes" / "locale"),
    Catalogue("taggit", Path(taggit.__file__).parent / "locale"),
    Catalogue("django_filters", Path(django_filters.__file__).parent / "locale", source_language="fr"),
]


@dataclass
class Coverage:
    name: str
    total: int = 0
    by_package: int = 0
    by_us: int = 0
    missing: list = field(default_factory=list)

    @property
    def share(self):
        return 100 * (self.by_package + self.by_us) / self.total if self.total else 100.0

    def as_dict(self):
        return {
            "catalogue": self.name, "msgids": self.total, "by_package": self.by_package, "by_us": self.by_us,
            "share": round(self.share, 1), "missing": self.missing,
        }  # fmt: skip


def _key(entry):
    # How Django's merged catalogue keys a message: a context before \x04; a plural by its first form.
    msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (msgid, 0) if entry.msgid_plural else msgid


def _translated_keys(path):
    if not path.exists():
        return set()
    return {_key(entry) for entry in polib.pofile(str(path)) if entry.translated() and not entry.obsolete}


@cache
def vietnamese(domain):
    """The message keys Django's catalogue for Vietnamese translates in this domain (all catalogues merged)."""
    if domain == "django":
        merged = trans_real.translation("vi")
    else:
        paths = [str(catalogue.locale_dir) for catalogue in CATALOGUES if catalogue.domain == domain]
        merged = trans_real.DjangoTranslation("vi", domain=domain, localedirs=paths)
    return {key for key, value in merged._catalog.items() if value}


@cache
def ours(domain):
    """The keys our own catalogues (the project's and the overrides) translate in this domain."""
    keys = set()
    for folder in settings.LOCALE_PATHS:
        keys |= _translated_keys(Path(folder) / "vi" / "LC_MESSAGES" / f"{domain}.po")
    return frozenset(keys)


def coverage(catalogue):
    """How many of the catalogue's messages Vietnamese readers see translated, and by whom."""
    result = Coverage(catalogue.name)
    package = _translated_keys(catalogue.own_vietnamese)
    merged, by_us = vietnamese(catalogue.domain), ours(catalogue.domain)
    for entry in polib.pofile(str(catalogue.source)):
        if entry.obsolete or not entry.msgid:
            continue
        result.total += 1
        key = _key(entry)
        if key in package and key in merged:
            result.by_package += 1
        elif key in merged or key in by_us:
            result.by_us += 1
        else:
            result.missing.append(entry.msgid)
    return result
