import time
import unicodedata
from pathlib import Path

import pytest

from news57.document_codes import (
    ADMINISTRATIVE,
    LEGAL,
    LETTER,
    PARTY,
    TYPE_NAMES,
    DocumentCode,
    find_codes,
    own_and_cited,
    year_from_title,
)

FEEDS = Path("/work/shared/fixtures/feeds")


@pytest.mark.parametrize(
    "text, key, form",
    [
        # The codes the plans cite, as written.
        ("57-NQ/TW", "57-NQ/TW", PARTY),
        ("03/NQ-CP", "03/NQ-CP", ADMINISTRATIVE),
        ("71/NQ-CP", "71/NQ-CP", ADMINISTRATIVE),
        ("1169/QĐ-TTg", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("150-CTr/TU", "150-CTr/TU", PARTY),
        ("56/KH-UBND", "56/KH-UBND", ADMINISTRATIVE),
        ("211/KH-UBND", "211/KH-UBND", ADMINISTRATIVE),
        ("262/KH-TTr", "262/KH-TTr", ADMINISTRATIVE),
        ("33/KH-UBND", "33/KH-UBND", ADMINISTRATIVE),
        ("2653/KH-UBND", "2653/KH-UBND", ADMINISTRATIVE),
        ("618/KH-VPUBND", "618/KH-VPUBND", ADMINISTRATIVE),
        ("42/2022/NĐ-CP", "42/2022/NĐ-CP", LEGAL),
        ("30/2020/NĐ-CP", "30/2020/NĐ-CP", LEGAL),
        ("13/2023/NĐ-CP", "13/2023/NĐ-CP", LEGAL),
        ("1234/UBND-KGVX", "1234/UBND-KGVX", LETTER),
        ("05/CT-TTg", "05/CT-TTg", ADMINISTRATIVE),
        ("45-KL/TW", "45-KL/TW", PARTY),
        ("01-QĐi/TW", "01-QĐi/TW", PARTY),
        ("17/HĐ-UBND", "17/HĐ-UBND", ADMINISTRATIVE),
        ("17/HD-UBND", "17/HD-UBND", ADMINISTRATIVE),
        ("59/2020/QH14", "59/2020/QH14", LEGAL),
        # What people and OCR type.
        ("57- -NQ/TW", "57-NQ/TW", PARTY),
        ("150 - CTr/TU", "150-CTr/TU", PARTY),
        ("211 / KH - UBND", "211/KH-UBND", ADMINISTRATIVE),
        ("1169/QD-TTG", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("1169/qđ-ttg", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("57-nq/tw", "57-NQ/TW", PARTY),
        ("150-ctr/tu", "150-CTr/TU", PARTY),
        ("01-qdi/tw", "01-QĐi/TW", PARTY),
        ("42/2022/ND-CP", "42/2022/NĐ-CP", LEGAL),
        ("262/kh-ttr", "262/KH-TTr", ADMINISTRATIVE),
        ("57–NQ/TW", "57-NQ/TW", PARTY),
        ("57—NQ/TW", "57-NQ/TW", PARTY),
        ("1169／QĐ－TTg", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("１１６９/QĐ-TTg", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("1169/QÐ-TTg", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("57-NQ/TƯ", "57-NQ/TW", PARTY),
        ("57/NQ-TW", "57-NQ/TW", PARTY),
        ("1169-QĐ-TTg", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("3/NQ-CP", "03/NQ-CP", ADMINISTRATIVE),
        ("003/NQ-CP", "03/NQ-CP", ADMINISTRATIVE),
        ("1234/ubnd-kgvx", "1234/UBND-KGVX", LETTER),
        ("12/HDND-VP", "12/HĐND-VP", LETTER),
        ("Số: 1169/QĐ-TTg", "1169/QĐ-TTg", ADMINISTRATIVE),
        ("1169/QĐ\u200b-TTg", "1169/QĐ-TTg", ADMINISTRATIVE),
    ],
)
def test_a_code_as_written_or_mistyped_parses_to_its_canonical_key(text, key, form):
    code = DocumentCode.parse(text)
    assert (code.key, code.form) == (key, form)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        42,
        "12/8/2025",
        "ngày 09/01/2025",
        "tháng 9/2025",
        "1/2",
        "3/4 số xã",
        "Covid-19",
        "F0-F1",
        "0912-345-678",
        "0912 345 678",
        "https://province.example.vn/van-ban/211/kh-ubnd",
        "www.example.vn/?so=57-NQ/TW",
        "giá 10.000 đồng/kg",
        "10/kg",
        "24/24h",
        "100/ngày",
        "Nghị quyết 57",
        "57-UBND-XX",
        "0/QĐ-TTg",
        "1234567/QĐ-TTg",
        "12/1800/NĐ-CP",
        "lớp 10/A1",
        "Điều 5/ Khoản 2",
    ],
)
def test_text_without_a_code_parses_to_none(text):
    assert DocumentCode.parse(text) is None


def test_the_legal_form_carries_its_year_and_the_others_none():
    assert DocumentCode.parse("42/2022/NĐ-CP").year == 2022
    assert DocumentCode.parse("1169/QĐ-TTg").year is None


def test_a_letter_has_an_issuer_and_a_drafting_unit_but_no_type():
    code = DocumentCode.parse("1234/UBND-KGVX")
    assert (code.type_code, code.issuer, code.unit) == (None, "UBND", "KGVX")


def test_a_letter_without_a_drafting_unit_is_still_a_letter():
    code = DocumentCode.parse("1234/SKHCN")
    assert (code.form, code.issuer, code.unit, code.key) == (LETTER, "SKHCN", None, "1234/SKHCN")


def test_ttr_after_the_number_is_a_submission_and_after_the_type_the_inspectorate():
    plan = DocumentCode.parse("262/KH-TTr")
    submission = DocumentCode.parse("12/TTr-UBND")
    assert (plan.type_code, plan.issuer) == ("KH", "TTr")
    assert (submission.type_code, submission.issuer) == ("TTr", "UBND")


def test_hd_without_the_stroke_stays_a_guidance_because_hd_with_it_is_another_type():
    assert DocumentCode.parse("17/HD-UBND").type_code == "HD"
    assert DocumentCode.parse("17/HĐ-UBND").type_code == "HĐ"
    assert DocumentCode.parse("17/HD-UBND").key != DocumentCode.parse("17/HĐ-UBND").key


def test_qd_and_nd_without_the_stroke_are_restored_because_no_such_types_exist():
    assert DocumentCode.parse("1169/QD-TTg").type_code == "QĐ"
    assert DocumentCode.parse("42/2022/ND-CP").type_code == "NĐ"


def test_a_project_da_is_not_mistaken_for_a_scheme_đa():
    assert DocumentCode.parse("5/DA-UBND").type_code == "DA"
    assert DocumentCode.parse("5/ĐA-UBND").type_code == "ĐA"


def test_the_type_has_a_vietnamese_name_for_display():
    assert DocumentCode.parse("211/KH-UBND").type_name == "Kế hoạch"
    assert DocumentCode.parse("150-CTr/TU").type_name == "Chương trình"
    assert DocumentCode.parse("1234/UBND-KGVX").type_name is None


def test_tt_is_a_circular_from_the_state_and_a_directive_notice_from_the_party():
    assert DocumentCode.parse("01/2024/TT-BKHCN").type_name == "Thông tư"
    assert DocumentCode.parse("05-TT/TW").type_name == "Thông tri"


def test_every_type_abbreviation_parses_to_itself():
    for abbreviation in TYPE_NAMES:
        assert DocumentCode.parse(f"7/{abbreviation}-UBND").type_code == abbreviation


def test_a_decomposed_code_parses_like_the_composed_one():
    decomposed = unicodedata.normalize("NFD", "1169/QĐ-TTg và 01-QĐi/TW")
    assert [c.key for c in find_codes(decomposed)] == ["1169/QĐ-TTg", "01-QĐi/TW"]


def test_the_number_compares_on_its_value_so_3_and_03_are_one_code():
    assert DocumentCode.parse("3/NQ-CP") == DocumentCode.parse("03/NQ-CP")


def test_str_is_the_key():
    assert str(DocumentCode.parse("57- -nq/tw")) == "57-NQ/TW"


def test_a_unit_must_be_attached_so_prose_after_a_spaced_dash_is_not_read_as_one():
    assert DocumentCode.parse("211/KH-UBND - UBND tỉnh").key == "211/KH-UBND"
    assert DocumentCode.parse("211/KH-UBND-VX").key == "211/KH-UBND-VX"


def test_a_year_outside_the_republic_is_no_legal_code():
    assert DocumentCode.parse("12/2101/NĐ-CP") is None
    assert DocumentCode.parse("12/1945/SL").year == 1945


def test_find_codes_lists_each_code_once_in_order_of_appearance():
    text = "Thực hiện 57-NQ/TW, 1169/QĐ-TTg và Nghị quyết 57- -NQ/TW; xem https://x.example.vn/71/NQ-CP"
    assert [c.key for c in find_codes(text)] == ["57-NQ/TW", "1169/QĐ-TTg"]


def test_find_codes_skips_dates_and_phone_numbers_between_codes():
    text = "Ngày 12/8/2025, gọi 0912-345-678 về Kế hoạch 211/KH-UBND"
    assert [c.key for c in find_codes(text)] == ["211/KH-UBND"]


@pytest.mark.parametrize(
    "title, own, cited",
    [
        (
            "Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh thực hiện Quyết định số 1169/QĐ-TTg",
            "211/KH-UBND",
            ["1169/QĐ-TTg"],
        ),
        (
            "Kế hoạch số 56/KH-UBND ngày 21/02/2025 của UBND tỉnh triển khai Nghị quyết số 03/NQ-CP"
            " và Chương trình hành động số 150-CTr/TU",
            "56/KH-UBND",
            ["03/NQ-CP", "150-CTr/TU"],
        ),
        (
            "Chương trình hành động số 150-CTr/TU ngày 20/02/2025 của Ban Thường vụ Tỉnh ủy"
            " thực hiện Nghị quyết số 57-NQ/TW",
            "150-CTr/TU",
            ["57-NQ/TW"],
        ),
        (
            "Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ phê duyệt Chương trình"
            " “Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW”",
            "1169/QĐ-TTg",
            ["57-NQ/TW"],
        ),
        (
            "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học",
            "57-NQ/TW",
            [],
        ),
        (
            "Ke hoach so 33/KH-UBND ngay 23/8/2025 cua UBND xa Hoang Van Thu thuc hien Nghi quyet so 57- -NQ/TW",
            "33/KH-UBND",
            ["57-NQ/TW"],
        ),
        ("Kế hoạch số 262/KH-TTr ngày 28/8/2025 của Thanh tra tỉnh", "262/KH-TTr", []),
        ("Quyết định 1169/QĐ-TTg của Thủ tướng Chính phủ (đăng lại)", "1169/QĐ-TTg", []),
        ("Nghi quyet so 57-NQ/TW", "57-NQ/TW", []),
        ("Công văn số 1234/UBND-KGVX về việc tuyên truyền", "1234/UBND-KGVX", []),
        ("Thông báo kết luận số 45-KL/TW của Bộ Chính trị", "45-KL/TW", []),
        ("1169/QĐ-TTg: phê duyệt Chương trình truyền thông", "1169/QĐ-TTg", []),
        ("Số 211/KH-UBND thực hiện 1169/QĐ-TTg", "211/KH-UBND", ["1169/QĐ-TTg"]),
        ("Kế hoạch thực hiện Quyết định số 1169/QĐ-TTg", None, ["1169/QĐ-TTg"]),
        ("Kế hoạch triển khai 1169/QĐ-TTg trên địa bàn", None, ["1169/QĐ-TTg"]),
        ("Kế hoạch triển khai Kế hoạch số 211/KH-UBND của tỉnh", None, ["211/KH-UBND"]),
        ("UBND tỉnh ban hành Kế hoạch số 211/KH-UBND", None, ["211/KH-UBND"]),
        ("Kế hoạch số 33/KH-UBND thực hiện Kế hoạch số 33/KH-UBND", "33/KH-UBND", []),
    ],
)
def test_a_title_names_its_own_code_after_its_leading_type_word_and_cites_the_rest(title, own, cited):
    found_own, found_cited = own_and_cited(title)
    assert (found_own and found_own.key, [c.key for c in found_cited]) == (own, cited)


@pytest.mark.parametrize("title", [None, "", "Thông báo lịch tiếp công dân tháng 9/2025"])
def test_a_title_without_codes_has_neither_own_nor_cited(title):
    assert own_and_cited(title) == (None, [])


@pytest.mark.parametrize(
    "title, year",
    [
        ("Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh", 2025),
        ("Ke hoach so 33/KH-UBND ngay 23/08/2025 cua UBND xa", 2025),
        ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị", 2024),
        ("Nghị quyết số 03/NQ-CP ngày 09-01-2025", 2025),
        ("Quyết định số 1169/QĐ-TTg của Thủ tướng Chính phủ (đăng lại)", None),
        ("Thông báo lịch tiếp công dân tháng 9/2025", None),
        ("Kế hoạch số 5/KH-UBND ngày 31/02/2025", None),
        ("Kế hoạch thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 và Nghị quyết 57-NQ/TW ngày 22/12/2024", 2025),
        (None, None),
    ],
)
def test_the_year_comes_from_the_date_written_after_ngay(title, year):
    assert year_from_title(title) == year


def test_the_date_of_a_cited_document_is_not_the_year_of_the_title():
    title = "Kế hoạch số 2653/KH-UBND của UBND tỉnh thực hiện Nghị quyết 57-NQ/TW ngày 22/12/2024"
    assert year_from_title(title) is None


def test_the_commune_feed_titles_with_and_without_diacritics_share_one_own_code():
    body = (FEEDS / "commune-quirks-cp1258.xml").read_bytes().decode("cp1258")
    titles = [line.split("<title>")[1].split("</title>")[0] for line in body.splitlines() if "<title>" in line]
    owns = [own and own.key for own, _cited in map(own_and_cited, titles)]
    assert owns == [None, "33/KH-UBND", "262/KH-TTr", None, "33/KH-UBND"]


@pytest.mark.parametrize(
    "hostile",
    [
        "1/" * 50_000,
        "1-" * 50_000,
        "1 / " * 25_000,
        "1/a" * 33_000,
        "1/" + "A-" * 50_000,
        "57" + " -" * 50_000 + "NQ/TW",
        "9" * 100_000,
        "ngày " * 20_000,
        "Kế hoạch số " * 8_000 + "1/KH-UBND",
        "http://" * 14_000,
        "www." * 25_000,
    ],
)
def test_hostile_long_input_finishes_quickly(hostile):
    started = time.monotonic()
    find_codes(hostile)
    own_and_cited(hostile)
    year_from_title(hostile)
    assert time.monotonic() - started < 2
