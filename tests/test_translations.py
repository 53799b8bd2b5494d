"""The admin reads in Vietnamese: every catalogue it draws from (Wagtail's, Django's, django-filter's, taggit's)
is translated, by its package or by our overrides, and the words follow one glossary (docs/glossary.md)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from news57.management.catalogues import CATALOGUES, coverage

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "locale_overrides" / "vi" / "LC_MESSAGES"
MINIMUM = 95.0


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=[catalogue.name for catalogue in CATALOGUES])
def test_each_catalogue_the_admin_draws_from_reads_in_vietnamese(catalogue):
    found = coverage(catalogue)
    assert found.share >= MINIMUM, f"{found.share:.1f}% of {found.total}; missing: {found.missing[:20]}"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_overrides_hold_no_untranslated_or_fuzzy_entry(domain):
    catalogue = polib.pofile(str(OVERRIDES / f"{domain}.po"))
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=1;")
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()
    assert not catalogue.obsolete_entries()


def test_the_overrides_come_after_our_own_catalogue():
    assert [Path(path).name for path in settings.LOCALE_PATHS] == ["locale", "locale_overrides"]


def glossary_terms():
    """(English, context, Vietnamese) from the glossary's first table."""
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    table = text.split("## Terms", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return [(english, context or None, vietnamese) for english, context, vietnamese, _note in rows]


@pytest.mark.parametrize("english, context, vietnamese", glossary_terms())
def test_a_glossary_term_reads_as_the_glossary_says(english, context, vietnamese):
    with translation.override("vi"):
        shown = translation.pgettext(context, english) if context else translation.gettext(english)
    assert shown == vietnamese


def test_the_editor_s_submit_button_reads_as_submitting_not_approving():
    with translation.override("vi"):
        label = translation.gettext("Submit to %(workflow_name)s") % {"workflow_name": "Quy trình duyệt tin – UBND"}
    assert label.startswith("Gửi duyệt") and not re.search("phê duyệt", label, re.IGNORECASE)


def test_the_coverage_command_prints_each_catalogue_and_fails_below_the_minimum(capsys):
    call_command("translation_coverage", "--minimum", "95")
    table = capsys.readouterr().out
    assert all(catalogue.name in table for catalogue in CATALOGUES) and "100.0%" in table
    with pytest.raises(SystemExit) as failed:
        call_command("translation_coverage", "--minimum", "100.1")
    assert failed.value.code == 1 and "below 100.1%" in capsys.readouterr().err
