"""An editor's upload that cannot be taken is refused in Vietnamese, saying what is wrong: too big, too many
pixels, a format that does not match its name, a format not taken (SVG), a file type not allowed; and a wrong
password at sign-in is told in Vietnamese too."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

pytestmark = pytest.mark.django_db


def png(width=24, height=16):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def editor_client(client, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    return client


def upload_image(client, name, content):
    response = client.post(
        reverse("wagtailimages:add"), {"title": "Ảnh thử", "file": SimpleUploadedFile(name, content)}
    )
    assert not get_image_model().objects.filter(title="Ảnh thử").exists()
    return response.content.decode()


def test_a_png_named_as_a_jpeg_is_refused_in_vietnamese(editor_client):
    page = upload_image(editor_client, "anh.jpg", png())
    assert "Phần mở rộng của tên tệp không khớp với định dạng thực của tệp" in page


def test_an_svg_is_refused_as_a_format_not_taken(editor_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page = upload_image(editor_client, "bieu-do.svg", svg)
    assert "Định dạng hình ảnh này không được hỗ trợ" in page


def test_an_image_too_big_is_refused_with_the_limit(settings):
    # The upload form's field is made once, with the limit of the day (20 MB): a field made under a small limit
    # shows the same message without a 20 MB upload.
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        WagtailImageField().clean(SimpleUploadedFile("anh.png", png()))
    (message,) = refused.value.messages
    assert message.startswith("Tệp quá lớn (") and message.endswith("). Dung lượng tệp tối đa là 10\xa0byte.")


def test_an_image_with_too_many_pixels_is_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    page = upload_image(editor_client, "anh.png", png(20, 20))
    assert "Hình ảnh có quá nhiều điểm ảnh" in page


def test_a_file_type_not_allowed_is_refused_in_vietnamese(editor_client):
    response = editor_client.post(
        reverse("wagtaildocs:add"), {"title": "Tệp lạ", "file": SimpleUploadedFile("chay.exe", b"MZ\x90\x00")}
    )
    assert not get_document_model().objects.filter(title="Tệp lạ").exists()
    assert "Không cho phép tệp có phần mở rộng “exe”" in response.content.decode()


def test_the_sign_in_form_reads_in_vietnamese(client):
    page = client.get(reverse("wagtailadmin_login")).content.decode()
    # The password field's label, before its required mark.
    assert "Mật khẩu<span" in page and "Password<" not in page


def test_a_wrong_password_is_told_in_vietnamese(client, editor_of):
    editor_of("hoangvanthu")
    page = client.post(
        reverse("wagtailadmin_login"), {"username": "hoangvanthu-editor", "password": "sai-mat-khau"}
    ).content.decode()
    assert "Tên đăng nhập" in page and "mật khẩu" in page and "Please enter" not in page
