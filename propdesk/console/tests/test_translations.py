"""Chinese first: every UI string has a Chinese translation, and the compiled catalogue the app loads has it too."""

from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SAME_IN_BOTH = {"VIP", "PropDesk", "API token", "API tokens"}


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.untranslated_entries()] == []


def test_the_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    stale = []
    with translation.override("zh-hans"):
        for entry in po.translated_entries():
            if entry.msgid_plural or entry.msgid in SAME_IN_BOTH or entry.msgctxt:
                continue
            if translation.gettext(entry.msgid) != entry.msgstr:
                stale.append(entry.msgid)
    assert stale == [], "run: cd propdesk && ../manage.py compilemessages -l zh_Hans"
