"""Robustness: every feed of feedparser's own test corpus goes through parse() safely.

The corpus (2,106 small feeds written by others, many ill-formed on purpose)
lives beside the checkout in ../shared; a user's clone has no ../shared, so the
test is skipped there, saying why.
"""

import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from news57.syndication.parse import Entry, ParseError, parse

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpora" / "feedparser"
BUDGET_SECONDS = 60  # the run takes about 2 s; far beyond that means a pathological case


def corpus_files():
    return sorted(CORPUS.resolve().glob("**/*.xml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"feedparser corpus not present at {CORPUS} (only in the shared workspace)")
def test_every_corpus_feed_parses_to_entries_or_a_parse_error(capsys):
    files = corpus_files()
    assert files, f"{CORPUS} holds no .xml files"
    outcomes = Counter()
    failures = []
    started = time.monotonic()
    for path in files:
        try:
            entries = parse(path.read_bytes(), "http://example.com/feeds/feed.xml")
        except ParseError as error:
            outcomes[f"error:{error.reason}"] += 1
            continue
        except Exception as error:  # noqa: BLE001 - the point is that nothing else escapes
            failures.append(f"{path.relative_to(CORPUS.resolve())}: {error!r}")
            continue
        outcomes["with entries" if entries else "no entries"] += 1
        for entry in entries:
            if not isinstance(entry, Entry) or not unicodedata.is_normalized("NFC", entry.title):
                failures.append(f"{path.relative_to(CORPUS.resolve())}: bad entry {entry!r:.200}")
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nfeedparser corpus: {len(files)} files in {elapsed:.1f} s: {dict(sorted(outcomes.items()))}")
    assert not failures, "\n".join(failures[:20])
    assert elapsed < BUDGET_SECONDS
    assert outcomes["with entries"] > len(files) // 3
