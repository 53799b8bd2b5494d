"""Vietnamese directive-document codes ("số ký hiệu") as people and OCR type them.

Four forms are in use (Decree 30/2020/NĐ-CP, the law on legal documents, and the
Party's rules on its documents):

    administrative  1169/QĐ-TTg       number/type-issuer[-unit]
    legal           42/2022/NĐ-CP     number/year/type-issuer (a law: 59/2020/QH14)
    party           57-NQ/TW          number-type/issuer
    letter          1234/UBND-KGVX    number/issuer-unit, no type

The separator right after the number tells the Party form ("-") from the others
("/"), unless the issuer says otherwise: 57/NQ-TW is a Party resolution typed
wrong, 1169-QĐ-TTg a Prime Minister's decision typed wrong. Inside a code the
parts are read by position: after "/" the first part is a type when it is a
known type abbreviation, otherwise the code is a letter and the part is its
issuer. So 262/KH-TTr is a plan (KH) of the inspectorate (TTr),
while 12/TTr-UBND is a submission (TTr) of the people's committee.

Identity is (key, year, issuing agency) because numbering restarts every year;
the year is the code's own (legal form) or the one in the title's "ngày …".
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from news57.text import fold

ADMINISTRATIVE = "administrative"
LEGAL = "legal"
PARTY = "party"
LETTER = "letter"

# Canonical abbreviations (Decree 30/2020 appendix III, the law on legal
# documents, the Party's guidance) and their names for display.
TYPE_NAMES = {
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐi": "Quy định",
    "QyĐ": "Quy định",
    "QC": "Quy chế",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "CV": "Công văn",
    "GN": "Bản ghi nhớ",
    "TTh": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "L": "Lệnh",
}
# In Party documents TT is a "thông tri", not a circular.
PARTY_TYPE_NAMES = {**TYPE_NAMES, "TT": "Thông tri"}

# Words a title may start with to name the document it is.
_DOCUMENT_NAMES = (*TYPE_NAMES.values(), "Thông tri", "Luật", "Pháp lệnh", "Văn bản")
_LEADING_NAMES = sorted(
    {tuple(fold(name).split()) for name in _DOCUMENT_NAMES},
    key=len,
    reverse=True,
)

_TYPES_BY_UPPER = {t.upper(): t for t in TYPE_NAMES}


def _types_typed_without_d():
    """'QD' can only mean 'QĐ'; 'HD' stays 'HD' because Hướng dẫn is a type of its own."""
    folded = {}
    for canonical in TYPE_NAMES:
        if "Đ" in canonical:
            folded.setdefault(fold(canonical).upper(), []).append(canonical)
    return {
        plain: candidates[0]
        for plain, candidates in folded.items()
        if len(candidates) == 1 and plain not in _TYPES_BY_UPPER
    }


_TYPES_WITHOUT_D = _types_typed_without_d()

# Issuer abbreviations whose canonical spelling is not plain upper case.
_MIXED_CASE_ISSUERS = {"TTG": "TTg", "TTR": "TTr"}
_ISSUERS_WITH_D = ("HĐND", "ĐU", "ĐUK", "BCĐ", "BCSĐ", "ĐTN", "ĐHQG")
_ISSUERS_WITHOUT_D = {fold(i).upper(): i for i in _ISSUERS_WITH_D}
# Party committees and bodies: a code of theirs written "57/NQ-TW" is "57-NQ/TW".
PARTY_ISSUERS = frozenset(
    {"TW", "TU", "HU", "QU", "ĐU", "ĐUK", "BCSĐ", "VPTW", "BTGTW", "BTCTW", "UBKTTW", "BDVTW"}
)
# Enough to trust a code typed all in lower case ("57-nq/tw"), which prose is too.
_KNOWN_ISSUERS = PARTY_ISSUERS | {
    "CP", "TTG", "VPCP", "QH", "UBTVQH", "CTN", "UBND", "HĐND", "VPUBND", "TTR", "TTCP",
    "BCĐ", "MTTQ", "BKHCN", "SKHCN", "BTTTT", "STTTT", "BTC", "BNV", "BCT",
}

# State bodies: a code of theirs typed "1169-QĐ-TTg" is "1169/QĐ-TTg".
_STATE_ISSUERS = _KNOWN_ISSUERS - PARTY_ISSUERS

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SLASHES = "/\u2044\u2215"
# Possessive quantifiers keep matching linear on hostile input.
_SEP = rf"\s*+(?:[{_DASHES}{_SLASHES}]\s*+)++"
_WORD = r"[^\W\d_][\w&]*+"
_CANDIDATE = re.compile(
    rf"(?<![\w.,&{_DASHES}{_SLASHES}])"
    rf"(?P<number>\d{{1,6}}+)(?!\d)(?P<sep>{_SEP})"
    rf"(?:(?P<year>\d{{4}}+)(?!\d){_SEP})?+"
    rf"(?P<parts>{_WORD}(?:{_SEP}{_WORD})*+)"
)
_SPLIT = re.compile(f"({_SEP})")
_PART = re.compile(r"[A-ZĐ][A-Z0-9Đ&]*")
_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)\S*", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_MAX_PARTS = 6

_DATE = re.compile(
    r"\bngay\s*:?\s*(\d{1,2})\s*(?:[/.-]\s*(\d{1,2})\s*[/.-]|\s+thang\s+(\d{1,2})\s*,?\s*nam)\s*(\d{4})(?!\d)"
)


@dataclass(frozen=True)
class DocumentCode:
    number: str  # at least two digits, as Decree 30 writes numbers below 10: "03"
    year: int | None  # only the legal form carries it
    type_code: str | None  # canonical abbreviation; None for a letter or a law
    issuer: str  # canonical issuer part; "" when the code omits it ("57-NQ")
    unit: str | None  # drafting unit of a letter, or any further parts
    form: str

    @classmethod
    def parse(cls, text):
        """The first code in text, or None: 'Số: 1169/QD-TTG' → 1169/QĐ-TTg."""
        for _start, code in _scan(_normalise(text)):
            return code
        return None

    @property
    def key(self):
        """The canonical spelling, used for identity: '57- -nq/tw' → '57-NQ/TW'."""
        if self.form == PARTY:
            key = f"{self.number}-{self.type_code}" + (f"/{self.issuer}" if self.issuer else "")
        else:
            head = f"{self.number}/{self.year}" if self.form == LEGAL else self.number
            body = "-".join(part for part in (self.type_code, self.issuer) if part)
            key = f"{head}/{body}"
        return f"{key}-{self.unit}" if self.unit else key

    @property
    def type_name(self):
        """The type in words for display ('Kế hoạch'), None for a letter."""
        names = PARTY_TYPE_NAMES if self.form == PARTY else TYPE_NAMES
        return names.get(self.type_code)

    def __str__(self):
        return self.key


def find_codes(text):
    """Every code in text, in order of appearance, once per key."""
    return _unique(code for _start, code in _scan(_normalise(text)))


def own_and_cited(title):
    """(the title's own code or None, the codes it cites) for a document's title.

    The own code is the first code, and only when the title starts with it
    ("1169/QĐ-TTg …", "Số 211/KH-UBND …") or with a type name followed directly
    by it or by a few qualifiers and "số" ("Kế hoạch số 211/KH-UBND",
    "Chương trình hành động số 150-CTr/TU", "Quyết định 1169/QĐ-TTg"). In
    "Kế hoạch thực hiện Quyết định số 1169/QĐ-TTg" the plan has no code of its
    own and 1169/QĐ-TTg is cited; a title that starts with anything else
    ("UBND tỉnh ban hành Kế hoạch số …") is news about a document, not the
    document, so it has no own code either.
    """
    found = list(_scan(_normalise(title)))
    if not found:
        return None, []
    start, first = found[0]
    own = first if _names_its_own_code(_normalise(title)[:start]) else None
    cited = _unique(code for _start, code in found if own is None or code.key != own.key)
    return own, cited


def year_from_title(title):
    """The year of the title's own date (see date_from_title), or None."""
    issued = date_from_title(title)
    return issued.year if issued else None


def date_from_title(title):
    """The first 'ngày 12/8/2025' or 'ngày 12 tháng 8 năm 2025' in a title, as a date.

    Only the part before the title's second code counts, so the date of a cited
    document ("… thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025") is not
    taken for the date of the title's own.
    """
    text = _normalise(title)
    found = list(_scan(text))
    head = text[: found[1][0]] if len(found) > 1 else text
    for match in _DATE.finditer(fold(head)):
        day, month_numeric, month_words, year = match.groups()
        try:
            return date(int(year), int(month_numeric or month_words), int(day))
        except ValueError:
            continue
    return None


def _normalise(text):
    """One spelling for the scanner: NFKC (full-width, NFD), Đ for look-alikes, no URLs."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    # Ð (U+00D0, Icelandic eth) is what legacy Vietnamese encodings turn Đ into.
    text = text.replace("Ð", "Đ").replace("ð", "đ")
    return _URL.sub(" ", text)


def _scan(text):
    for match in _CANDIDATE.finditer(text):
        code = _build(match["number"], match["sep"], match["year"], match["parts"])
        if code is not None:
            yield match.start(), code


def _build(number, first_sep, year, words):
    if int(number) == 0:
        return None
    raw = _parts(words)
    if not raw:
        return None
    parts = [upper for _written, upper in raw]
    typed_in_lower_case = not any(ch.isupper() for written, _upper in raw for ch in written)
    type_code = _canonical_type(parts[0])
    if year is not None:
        if not 1945 <= int(year) <= 2100:
            return None
        form = LEGAL
    elif first_sep.strip()[0] in _SLASHES:
        form = ADMINISTRATIVE if type_code else LETTER
    elif type_code:
        form = PARTY
    else:
        return None
    if type_code:
        issuer, rest = (parts[1] if len(parts) > 1 else ""), parts[2:]
    else:
        issuer, rest = parts[0], parts[1:]
    issuer = _canonical_issuer(issuer)
    if form == ADMINISTRATIVE and issuer in PARTY_ISSUERS:
        form = PARTY
    elif form == PARTY and issuer.upper() in _STATE_ISSUERS:
        form = ADMINISTRATIVE
    if typed_in_lower_case and not (type_code or _is_known_issuer(issuer)):
        return None
    # An agency's abbreviation has at least two letters; "lớp 10/A1" is a class.
    if form == LETTER and sum(ch.isalpha() for ch in issuer) < 2:
        return None
    return DocumentCode(
        number=f"{int(number):02d}",
        year=int(year) if year is not None else None,
        type_code=type_code,
        issuer=issuer,
        unit="-".join(rest) or None,
        form=form,
    )


def _parts(words):
    """[(as written, upper case)] up to the first part that is no abbreviation.

    Beyond type and issuer a part must follow its separator without spaces:
    in "211/KH-UBND - UBND tỉnh" the second UBND is prose, not a unit.
    """
    tokens = _SPLIT.split(words)
    parts = []
    for index in range(0, min(len(tokens), 2 * _MAX_PARTS), 2):
        written = tokens[index]
        if index >= 4 and any(ch.isspace() for ch in tokens[index - 1]):
            break
        upper = written.upper().replace("TƯ", "TW")
        if not _PART.fullmatch(upper):
            break
        parts.append((written, upper))
    return parts


def _canonical_type(part):
    return _TYPES_BY_UPPER.get(part) or _TYPES_WITHOUT_D.get(part)


def _canonical_issuer(part):
    if part in _MIXED_CASE_ISSUERS:
        return _MIXED_CASE_ISSUERS[part]
    if "Đ" not in part and part in _ISSUERS_WITHOUT_D:
        return _ISSUERS_WITHOUT_D[part]
    return part


def _is_known_issuer(issuer):
    return issuer.upper().rstrip("0123456789") in _KNOWN_ISSUERS


def _names_its_own_code(head):
    """Whether the text before a title's first code introduces it as the title's own."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(head)).split()
    if words in ([], ["so"]):
        return True
    position = 0
    while name := _leading_name_at(words, position):
        position += len(name)
    if position == 0:
        return False
    qualifiers = words[position:]
    if qualifiers and qualifiers[-1] == "so":
        qualifiers = qualifiers[:-1]
    elif qualifiers:
        return False
    return len(qualifiers) <= 3 and not any(
        _leading_name_at(qualifiers, index) for index in range(len(qualifiers))
    )


def _leading_name_at(words, position):
    for name in _LEADING_NAMES:
        if tuple(words[position : position + len(name)]) == name:
            return name
    return None


def _unique(codes):
    seen = {}
    for code in codes:
        seen.setdefault(code.key, code)
    return list(seen.values())
