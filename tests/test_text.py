import unicodedata

import pytest

from news57.text import fold, nfc, slugify


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Chuyển đổi số đột phá", "chuyen-doi-so-dot-pha"),
        ("ĐỔI MỚI SÁNG TẠO", "doi-moi-sang-tao"),
        ("Nghị quyết 57-NQ/TW", "nghi-quyet-57-nq-tw"),
        ("  Bình dân  học vụ số!  ", "binh-dan-hoc-vu-so"),
        ("Sở KH&CN Lạng Sơn", "so-khcn-lang-son"),
        ("Quyết định 1169/QĐ-TTg", "quyet-dinh-1169-qd-ttg"),
        ("", ""),
    ],
)
def test_slugs_are_ascii_with_diacritics_folded_and_d_for_dj(title, slug):
    assert slugify(title) == slug


def test_a_decomposed_title_gives_the_same_slug_as_a_composed_one():
    assert slugify(unicodedata.normalize("NFD", "Chuyển đổi số")) == "chuyen-doi-so"


def test_folding_lowers_and_strips_marks_so_searches_match_without_diacritics():
    assert fold("Chuyển Đổi Số") == "chuyen doi so"


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Nghị quyết")
    assert decomposed != "Nghị quyết"
    assert nfc(decomposed) == "Nghị quyết"
    assert nfc(None) is None
