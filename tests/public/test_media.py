"""Uploaded media answers HTTP Range, so a video seeks on an iPhone; markup never runs as us."""

import os

import pytest
from django.utils.http import http_date

SIZE = 1000
BODY = bytes(i % 251 for i in range(SIZE))


@pytest.fixture
def media(settings, tmp_path, db):
    # db: a 404 goes through the redirects middleware and the site's error page.
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "video").mkdir(parents=True)
    (settings.MEDIA_ROOT / "video" / "clip.mp4").write_bytes(BODY)
    (tmp_path / "secret.txt").write_text("not for the public")
    return settings.MEDIA_ROOT


def get(client, path="/media/video/clip.mp4", **headers):
    return client.get(path, headers=headers)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_plain_request_gets_the_whole_file_and_learns_ranges_are_accepted(client, media):
    response = get(client)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes" and response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == BODY


def test_the_first_hundred_bytes_come_as_a_partial_response(client, media):
    response = get(client, Range="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert response["Content-Length"] == "100"
    assert body(response) == BODY[:100]


def test_a_suffix_range_gets_the_last_bytes(client, media):
    response = get(client, Range="bytes=-100")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 900-999/{SIZE}"
    assert body(response) == BODY[-100:]


def test_an_open_range_gets_the_rest_of_the_file(client, media):
    response = get(client, Range="bytes=100-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-999/{SIZE}" and response["Content-Length"] == "900"
    assert body(response) == BODY[100:]


def test_a_range_past_the_end_is_cut_to_the_file(client, media):
    response = get(client, Range="bytes=990-5000")
    assert response["Content-Range"] == f"bytes 990-999/{SIZE}"
    assert body(response) == BODY[990:]


def test_safaris_two_byte_probe_gets_two_bytes(client, media):
    response = get(client, Range="bytes=0-1")
    assert response.status_code == 206 and body(response) == BODY[:2]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", "bytes=5000-6000", "bytes=-0", "bytes=50-10"])
def test_an_unsatisfiable_range_answers_416_with_the_size(client, media, header):
    response = get(client, Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


def test_several_ranges_get_the_whole_file(client, media):
    response = get(client, Range="bytes=0-9,20-29")
    assert response.status_code == 200 and body(response) == BODY


@pytest.mark.parametrize("header", ["items=0-9", "bytes=" + "9" * 5000 + "-", "bytes=٠-٩", "garbage"])
def test_a_malformed_range_gets_the_whole_file(client, media, header):
    response = get(client, Range=header)
    assert response.status_code == 200 and body(response) == BODY


def test_head_with_a_range_announces_the_part_without_sending_it(client, media):
    response = client.head("/media/video/clip.mp4", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response["Content-Length"] == "100" and body(response) == b""


def test_head_announces_the_whole_file(client, media):
    response = client.head("/media/video/clip.mp4")
    assert response.status_code == 200 and response["Content-Length"] == str(SIZE)
    assert body(response) == b""


def test_post_is_refused(client, media):
    assert client.post("/media/video/clip.mp4").status_code == 405


def test_an_unchanged_file_answers_304_to_if_modified_since(client, media):
    mtime = os.stat(media / "video" / "clip.mp4").st_mtime
    response = get(client, **{"If-Modified-Since": http_date(mtime)})
    assert response.status_code == 304


def test_a_changed_file_is_sent_despite_if_modified_since(client, media):
    path = media / "video" / "clip.mp4"
    mtime = os.stat(path).st_mtime
    os.utime(path, (mtime + 60, mtime + 60))
    assert get(client, **{"If-Modified-Since": http_date(mtime)}).status_code == 200


def test_a_range_for_a_file_changed_since_if_range_gets_the_new_file_whole(client, media):
    mtime = os.stat(media / "video" / "clip.mp4").st_mtime
    response = get(client, Range="bytes=0-99", **{"If-Range": http_date(mtime - 3600)})
    assert response.status_code == 200 and body(response) == BODY


def test_a_range_with_a_matching_if_range_is_honoured(client, media):
    mtime = os.stat(media / "video" / "clip.mp4").st_mtime
    response = get(client, Range="bytes=0-99", **{"If-Range": http_date(mtime)})
    assert response.status_code == 206


@pytest.mark.parametrize(
    "path",
    ["/media/../secret.txt", "/media/video/../../secret.txt", "/media/%2e%2e/secret.txt", "/media//etc/passwd"],
)
def test_paths_outside_media_are_not_found(client, media, path):
    assert client.get(path).status_code == 404


def test_a_symlink_out_of_media_is_not_followed(client, media):
    (media / "link.txt").symlink_to(media.parent / "secret.txt")
    assert client.get("/media/link.txt").status_code == 404


def test_a_path_with_a_nul_byte_is_not_found(client, media):
    assert client.get("/media/video/clip.mp4%00.html").status_code == 404


def test_a_folder_is_not_found(client, media):
    assert client.get("/media/video/").status_code == 404


def test_a_missing_file_is_not_found(client, media):
    assert client.get("/media/video/nothing.mp4").status_code == 404


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "feed.xml", "PAGE.HTM"])
def test_uploaded_markup_is_a_sandboxed_download(client, media, name):
    (media / name).write_text("<script>alert(document.cookie)</script>")
    response = client.get(f"/media/{name}")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_range_of_uploaded_markup_is_sandboxed_too(client, media):
    (media / "page.html").write_text("<script>alert(1)</script>" * 10)
    response = client.get("/media/page.html", headers={"Range": "bytes=0-9"})
    assert response.status_code == 206 and response["Content-Security-Policy"] == "sandbox"


def test_a_video_plays_inline(client, media):
    assert not get(client).get("Content-Disposition", "").startswith("attachment")
