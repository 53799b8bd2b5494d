"""How a reader's query matches a result and where the result ranks, as a person would judge it.

The search backends find candidates by folded words; what they cannot tell apart
is decided here, the same on SQLite and PostgreSQL:

- a code typed any way ("211/KH-UBND", "211 kh ubnd", "211-KH-UBND", "211/kh-ubnd 2025") puts its document first;
- every word found beats some words found;
- a word found with its accents beats one found only folded ("bão" is not "báo");
- a match in the title beats one in the code, the summary, then the body;
- the words side by side beat the words apart;
- at equal relevance the newer result comes first.

Words are whole syllables: "gia" does not match "giao".
"""

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import fold, nfc

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
# In the order a match in them ranks: a title match above a code match above a summary match above a body match.
FIELDS = ("title", "code", "summary", "body")
_WORD = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"(19|20)\d\d")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _folded(word):
    return "".join(_WORD.findall(fold(word)))


@dataclass(frozen=True)
class Query:
    """The reader's words, as typed (NFC, lower case) and folded, each once, in the order typed."""

    text: str
    words: tuple
    folded: tuple

    @classmethod
    def parse(cls, text):
        text = nfc(str(text or "")).strip()[:MAX_QUERY_LENGTH]
        words, folded = [], []
        for word in _WORD.findall(text.lower()):
            plain = _folded(word)
            if plain and plain not in folded:
                words.append(word)
                folded.append(plain)
        return cls(text=text, words=tuple(words[:MAX_WORDS]), folded=tuple(folded[:MAX_WORDS]))

    def __bool__(self):
        return bool(self.folded)

    @property
    def folded_text(self):
        """What the backends are asked for: the folded words, one space apart."""
        return " ".join(self.folded)

    @property
    def has_marks(self):
        return self.words != self.folded

    @property
    def numbers(self):
        """Words that may be a document's number."""
        return [word for word in self.folded if word.isdigit()]

    @property
    def years(self):
        return {int(word) for word in self.folded if _YEAR.fullmatch(word)}


class Words:
    """One field's words, as written and folded."""

    def __init__(self, text):
        self.exact = _WORD.findall(nfc(text or "").lower())
        self.folded = [_folded(word) for word in self.exact]
        self.exact_set = set(self.exact)
        self.folded_set = set(self.folded)

    def has_all(self, folded_words):
        return bool(folded_words) and self.folded_set.issuperset(folded_words)

    def has_run(self, folded_words):
        """The words side by side, in the order typed."""
        n = len(folded_words)
        if n < 2:
            return False
        target = list(folded_words)
        return any(self.folded[i : i + n] == target for i in range(len(self.folded) - n + 1))


def code_strength(query, code_key, year):
    """How well the query names this document's code: 3 with the right year, 2 whole, 1 number and type, else 0.

    The code's words must follow each other in the query from its number on; a year
    typed anywhere in the query must be the document's (numbering restarts each year).
    """
    code = [_folded(word) for word in _WORD.findall((code_key or "").lower())]
    if not code or not query:
        return 0
    number, rest = code[0], [word for word in code[1:] if not _YEAR.fullmatch(word)]
    typed = list(query.folded)
    best = 0
    for start, word in enumerate(typed):
        if word != number:
            continue
        following = [w for w in typed[start + 1 :] if not _YEAR.fullmatch(w)]
        matched = 0
        for expected, given in zip(rest, following):
            if expected != given:
                break
            matched += 1
        if matched == len(rest):
            best = max(best, 2)
        elif matched:
            best = max(best, 1)
    if not best:
        return 0
    typed_years = query.years - {int(number)} if number.isdigit() else query.years
    if typed_years:
        if year not in typed_years:
            return 0
        if best == 2:
            return 3
    return best


def rank_key(query, fields, when, code=0, every_word=True):
    """A sortable key, higher first, for one result's fields {"title": …, "code": …, "summary": …, "body": …}.

    Returns None when the result does not hold the query's words (every one, or at least
    half when `every_word` is false) and names no code:
    a backend may match more loosely than whole syllables, and the answer must not
    depend on which backend runs.
    """
    analysed = [Words(fields.get(name)) for name in FIELDS]
    found = {word for word in query.folded if any(word in field.folded_set for field in analysed)}
    needed = len(query.folded) if every_word else (len(query.folded) + 1) // 2
    if code == 0 and (not found or len(found) < needed):
        return None
    exact = sum(1 for word in query.words if any(word in field.exact_set for field in analysed))
    best_field = next((len(FIELDS) - i for i, field in enumerate(analysed) if field.has_all(query.folded)), 0)
    side_by_side = int(any(field.has_run(query.folded) for field in analysed))
    return (code, len(found), exact, best_field, side_by_side, _timestamp(when))


def _timestamp(when):
    if when is None:
        return 0.0
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=timezone.utc)
    return (when - _EPOCH).total_seconds()


def highlight(text, query, limit=None):
    """The text, HTML-escaped, with the query's words (folded or not) in <mark>; cut to about `limit` characters
    around the first match, on word boundaries, when a limit is given."""
    text = nfc(text or "")
    spans = [m.span() for m in _WORD.finditer(text) if _folded(m.group()) in query.folded]
    start, end = 0, len(text)
    if limit and len(text) > limit:
        first = spans[0][0] if spans else 0
        start = max(0, first - limit // 4)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
        end = min(len(text), start + limit)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    return mark_safe(("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else ""))
