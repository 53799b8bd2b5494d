"""news57.ranking: a query's words, codes typed any way, the order of results, and the marks in a snippet."""

from datetime import date, datetime, timezone

import pytest

from news57.ranking import MAX_QUERY_LENGTH, MAX_WORDS, Query, code_strength, highlight, rank_key
from news57.text import folded_words, html_text


class TestQuery:
    def test_words_as_typed_and_folded_each_once(self):
        query = Query.parse("  Chuyển ĐỔI số, chuyển!  ")
        assert query.words == ("chuyển", "đổi", "số")
        assert query.folded == ("chuyen", "doi", "so")
        assert query.folded_text == "chuyen doi so" and query.has_marks

    def test_decomposed_input_is_read_as_composed(self):
        assert Query.parse("chuye\u0302\u0309n").words == ("chuyển",)

    def test_punctuation_and_backend_syntax_are_not_words(self):
        assert Query.parse('"a" OR (NEAR* b) -- *').folded == ("a", "or", "near", "b")
        assert not Query.parse("*** !!! ---")

    def test_length_and_word_count_are_bounded(self):
        assert len(Query.parse("a" * 10_000).text) == MAX_QUERY_LENGTH
        assert len(Query.parse(" ".join(f"w{n}" for n in range(50))).folded) == MAX_WORDS

    def test_numbers_and_years(self):
        query = Query.parse("211/kh-ubnd 2025")
        assert query.numbers == ["211", "2025"] and query.years == {2025}


# How strongly a query names a document's code: 3 whole with the right year, 2 whole, 1 number and type, 0 not.
CODES = [
    ("211/KH-UBND", "211/KH-UBND", 2025, 2),
    ("211 kh ubnd", "211/KH-UBND", 2025, 2),
    ("211-KH-UBND", "211/KH-UBND", 2025, 2),
    ("211 / KH - UBND", "211/KH-UBND", 2025, 2),
    ("211/kh-ubnd 2025", "211/KH-UBND", 2025, 3),
    ("211/kh-ubnd 2024", "211/KH-UBND", 2025, 0),
    ("211/KH", "211/KH-UBND", 2025, 1),
    ("212/KH-UBND", "211/KH-UBND", 2025, 0),
    ("211/QĐ-UBND", "211/KH-UBND", 2025, 0),
    ("ke hoach 211", "211/KH-UBND", 2025, 0),
    ("42/2022/NĐ-CP", "42/2022/NĐ-CP", 2022, 3),
    ("42 nd cp", "42/2022/NĐ-CP", 2022, 2),
    ("57 nq tw", "57-NQ/TW", 2024, 2),
    ("211", "", None, 0),
]


@pytest.mark.parametrize("typed, code, year, strength", CODES)
def test_code_strength(typed, code, year, strength):
    assert code_strength(Query.parse(typed), code, year) == strength


class TestRankKey:
    NOW = datetime(2025, 9, 1, tzinfo=timezone.utc)

    def key(self, text, **fields):
        return rank_key(Query.parse(text), fields, self.NOW)

    def test_whole_syllables(self):
        assert self.key("gia", title="Giao ban") is None
        assert self.key("gia", title="Gia đình") is not None

    def test_every_word_or_at_least_half(self):
        query = Query.parse("hoi nghi ngoai troi")
        assert rank_key(query, {"title": "Hội nghị"}, None) is None
        assert rank_key(query, {"title": "Hội nghị"}, None, every_word=False) is not None
        assert rank_key(query, {"title": "Hội"}, None, every_word=False) is None

    def test_a_named_code_is_kept_whatever_the_text(self):
        assert rank_key(Query.parse("211 kh ubnd 2025"), {"title": "Kế hoạch"}, None, code=3) is not None

    def test_the_order_of_what_counts(self):
        ranked = sorted(
            [
                ("body", self.key("bão", body="cơn bão")),
                ("folded title", self.key("bão", title="Báo cáo")),
                ("exact title", self.key("bão", title="Bão lớn")),
                ("exact summary", self.key("bão", summary="Cơn bão")),
                ("code", rank_key(Query.parse("bão"), {"title": "x"}, None, code=1) or (1,)),
            ],
            key=lambda pair: pair[1],
            reverse=True,
        )
        assert [name for name, _key in ranked] == ["code", "exact title", "exact summary", "body", "folded title"]

    def test_side_by_side_above_apart(self):
        together = self.key("doi moi", title="Đổi mới sáng tạo")
        apart = self.key("doi moi", title="Mới thay đổi")
        assert together > apart

    def test_a_date_and_a_datetime_compare(self):
        older = rank_key(Query.parse("a"), {"title": "a"}, date(2024, 1, 1))
        newer = rank_key(Query.parse("a"), {"title": "a"}, self.NOW)
        assert newer > older


class TestHighlight:
    def test_folded_and_exact_words_are_marked_and_the_rest_escaped(self):
        marked = highlight("Báo <cáo> & bão", Query.parse("bao"))
        assert marked == "<mark>Báo</mark> &lt;cáo&gt; &amp; <mark>bão</mark>"

    def test_a_long_text_is_cut_around_the_first_match_on_word_boundaries(self):
        text = " ".join(["mở đầu"] * 100 + ["chuyển đổi số"] + ["kết thúc"] * 100)
        marked = highlight(text, Query.parse("chuyen doi so"), limit=80)
        assert marked.startswith("… ") and marked.endswith(" …")
        assert "<mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark>" in marked
        assert len(marked.replace("<mark>", "").replace("</mark>", "")) <= 80 + 4

    def test_no_match_gives_the_start(self):
        assert highlight("Một hai ba", Query.parse("bon"), limit=5) == "Một …"


def test_folded_words_split_codes_as_every_backend_would():
    assert folded_words("211/KH-UBND: Chuyển đổi số") == "211 kh ubnd chuyen doi so"


def test_html_text_keeps_a_space_between_blocks():
    assert html_text("<p>Một</p><p>hai&nbsp;<b>ba</b></p><ul><li>bốn</li></ul>") == "Một hai ba bốn"
