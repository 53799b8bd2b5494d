"""Every string the project shows people has a Vietnamese translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
SOURCES = ["cms", "news57", "templates"]


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The message ids makemessages finds in a copy of our sources today.

    A copy, because makemessages writes beside the sources, into our catalogue.
    """
    scratch = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        shutil.copytree(ROOT / name, scratch / name, ignore=shutil.ignore_patterns("media", "__pycache__"))
    # Wagtail's own templates, overridden for a word or two: their msgids are Wagtail's, translated in
    # locale_overrides/ (makemessages is run with `-i "templates/wagtailadmin/*"`).
    shutil.rmtree(scratch / "templates" / "wagtailadmin")
    (scratch / "locale").mkdir()
    (scratch / "scratch_settings.py").write_text("from cms.settings import *\nLOCALE_PATHS = []\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "scratch_settings", "PYTHONPATH": f"{scratch}"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-location", "-v", "0"],
        cwd=scratch,
        env=env,
        check=True,
    )
    return polib.pofile(str(scratch / "locale" / "vi" / "LC_MESSAGES" / "django.po"))


def key(entry):
    return (entry.msgctxt, entry.msgid)


def test_the_catalogue_has_no_untranslated_entries(catalogue):
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []


def test_the_catalogue_has_no_fuzzy_entries(catalogue):
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_every_string_marked_in_the_sources_is_in_the_catalogue(catalogue, extracted):
    known = {key(entry) for entry in catalogue if not entry.obsolete}
    missing = [entry.msgid for entry in extracted if key(entry) not in known]
    assert missing == [], 'run `manage.py makemessages -l vi --no-location -i "templates/wagtailadmin/*"`'


def test_plural_forms_are_translated_for_vietnamese(catalogue):
    assert "nplurals=1" in catalogue.metadata.get("Plural-Forms", "")
    for entry in catalogue:
        if entry.msgid_plural and not entry.obsolete:
            assert entry.msgstr_plural.get(0), entry.msgid
