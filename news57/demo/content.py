"""The demo's news, infographics and videos per site, loaded from files in media/ (no network)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.files import File
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from ..models import ArticlePage, InfographicImage, InfographicPage, Topic, VideoPage
from ..vietnam_time import zone as vietnam_zone

MEDIA_DIR = Path(__file__).resolve().parent / "media"

KHCN, DMST, CDS, BDHVS, CQS, KTS, XHS = (
    "khoa-hoc-cong-nghe",
    "doi-moi-sang-tao",
    "chuyen-doi-so",
    "binh-dan-hoc-vu-so",
    "chinh-quyen-so",
    "kinh-te-so",
    "xa-hoi-so",
)

# (slug, name, short name)
TOPICS = [
    (KHCN, "Khoa học, công nghệ", "KHCN"),
    (DMST, "Đổi mới sáng tạo", "ĐMST"),
    (CDS, "Chuyển đổi số", "CĐS"),
    (BDHVS, "Bình dân học vụ số", ""),
    (CQS, "Chính quyền số", ""),
    (KTS, "Kinh tế số", ""),
    (XHS, "Xã hội số", ""),
]


@dataclass(frozen=True)
class Photo:
    file: str
    title: str
    description: str


PHOTOS = {
    "hoi-nghi": Photo(
        "hoi-nghi-trien-khai-nq57.jpg",
        "Hội nghị quán triệt, triển khai Nghị quyết 57-NQ/TW",
        "Hội trường với phông nền đỏ in tên hội nghị triển khai Nghị quyết 57-NQ/TW, đại biểu ngồi kín các hàng ghế",
    ),
    "so-ket": Photo(
        "hoi-nghi-so-ket.jpg",
        "Hội nghị sơ kết công tác chuyển đổi số năm 2025",
        "Hội trường với phông nền hội nghị sơ kết chuyển đổi số năm 2025, đại biểu ngồi kín các hàng ghế",
    ),
    "hoc-vu-so": Photo(
        "lop-binh-dan-hoc-vu-so.jpg",
        "Lớp Bình dân học vụ số",
        "Lớp học có bảng đen ghi “Bình dân học vụ số”, người dân ngồi trước máy tính xách tay",
    ),
    "tap-huan": Photo(
        "tap-huan-can-bo.jpg",
        "Tập huấn kỹ năng số cho cán bộ, công chức",
        "Phòng tập huấn có bảng ghi “Tập huấn kỹ năng số cho cán bộ, công chức”, học viên ngồi trước máy tính",
    ),
    "mot-cua": Photo(
        "bo-phan-mot-cua.jpg",
        "Bộ phận tiếp nhận và trả kết quả",
        "Sáu quầy tiếp nhận hồ sơ có bảng số thứ tự điện tử, người dân ngồi chờ ở hàng ghế phía trước",
    ),
    "du-lieu": Photo(
        "trung-tam-du-lieu.jpg",
        "Trung tâm dữ liệu và điều hành số",
        "Các tủ máy chủ xếp thành hàng với đèn tín hiệu xanh, vàng trong trung tâm dữ liệu",
    ),
    "truy-xuat": Photo(
        "ruong-bac-thang-truy-xuat.jpg",
        "Biển mã QR truy xuất nguồn gốc bên ruộng bậc thang",
        "Ruộng bậc thang xanh dưới chân núi, bên cạnh là biển có mã QR để truy xuất nguồn gốc nông sản",
    ),
    "cho-qr": Photo(
        "cho-thanh-toan-qr.jpg",
        "Quầy hàng chợ thanh toán bằng mã QR",
        "Quầy hoa quả ở chợ có biển mã QR “Thanh toán không dùng tiền mặt”",
    ),
    "thi-nghiem": Photo(
        "phong-thi-nghiem.jpg",
        "Phòng thí nghiệm ứng dụng công nghệ",
        "Phòng thí nghiệm có kệ ống nghiệm, bình thủy tinh và máy tính trên bàn thí nghiệm",
    ),
    "thanh-tra": Photo(
        "thanh-tra-so.jpg",
        "Hệ thống quản lý đơn thư, khiếu nại",
        "Màn hình máy tính hiển thị bảng số liệu đơn thư đã tiếp nhận, đang xử lý và đã giải quyết",
    ),
}


@dataclass(frozen=True)
class Video:
    file: str
    poster: str
    title: str
    transcript: str


VIDEOS = {
    "hoc-vu-so": Video(
        "video-binh-dan-hoc-vu-so.mp4",
        "video-binh-dan-hoc-vu-so-poster.jpg",
        "Video: Bình dân học vụ số",
        "Bình dân học vụ số: lớp hướng dẫn kỹ năng số cho người dân.\n"
        "Nộp hồ sơ trực tuyến: không phải xếp hàng chờ tại Bộ phận Một cửa.\n"
        "Thanh toán bằng mã QR: chợ dân sinh không dùng tiền mặt.",
    ),
    "hoi-nghi": Video(
        "video-hoi-nghi-nq57.mp4",
        "video-hoi-nghi-nq57-poster.jpg",
        "Video: Triển khai Nghị quyết 57-NQ/TW",
        "Triển khai Nghị quyết 57-NQ/TW: hội nghị quán triệt tới cán bộ chủ chốt.\n"
        "Hạ tầng số: trung tâm dữ liệu và điều hành số.\n"
        "Khoa học, công nghệ: đưa kết quả nghiên cứu vào sản xuất.",
    ),
}


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    lead: str
    date: tuple
    photo: str
    hero_caption: str
    body: list
    topics: tuple
    author: str = ""
    draft: bool = False


@dataclass(frozen=True)
class Panel:
    """One image of an infographic with everything it says, for readers who cannot see it."""

    file: str
    title: str
    alt_text: str
    long_description: str
    caption: str = ""


@dataclass(frozen=True)
class Infographic:
    slug: str
    title: str
    lead: str
    date: tuple
    panels: list
    topics: tuple


@dataclass(frozen=True)
class VideoItem:
    slug: str
    title: str
    lead: str
    date: tuple
    video: str
    topics: tuple


@dataclass
class SiteContent:
    articles: list = field(default_factory=list)
    infographics: list = field(default_factory=list)
    videos: list = field(default_factory=list)


def p(*sentences):
    return ("paragraph", "<p>" + " ".join(sentences) + "</p>")


def h(text):
    return ("heading", text)


def quote(text, attribution):
    return ("quote", {"text": text, "attribution": attribution})


def table(caption, *rows):
    return ("table", {"caption": caption, "rows": [list(row) for row in rows]})


def image(photo, caption):
    return ("image", {"photo": photo, "caption": caption})


NQ57_PANELS = [
    Panel(
        "ig-nq57-muc-tieu-2030-1.png",
        "Nghị quyết 57-NQ/TW: mục tiêu đến năm 2030 (phần 1)",
        "Năm chỉ tiêu về kinh tế số, dịch vụ công trực tuyến, chi cho nghiên cứu phát triển và nhân lực nghiên cứu đến năm 2030",
        "Nghị quyết 57-NQ/TW: mục tiêu đến năm 2030, phần 1. Đột phá phát triển khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số quốc gia.\n"
        "30%: quy mô kinh tế số tối thiểu trong GDP.\n"
        "Trên 80%: người dân và doanh nghiệp sử dụng dịch vụ công trực tuyến.\n"
        "2% GDP: kinh phí chi cho nghiên cứu phát triển (R&D), trong đó kinh phí từ xã hội chiếm hơn 60%.\n"
        "3%: tổng chi ngân sách hằng năm, tối thiểu, dành cho khoa học, công nghệ, đổi mới sáng tạo và chuyển "
        "đổi số.\n"
        "12: nhân lực nghiên cứu trên một vạn dân.\n"
        "Nguồn: Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.",
    ),
    Panel(
        "ig-nq57-muc-tieu-2030-2.png",
        "Nghị quyết 57-NQ/TW: mục tiêu đến năm 2030 (phần 2)",
        "Năm chỉ tiêu về vị thế quốc gia trong trí tuệ nhân tạo, năng lực cạnh tranh số, doanh nghiệp công nghệ số và sáng chế",
        "Nghị quyết 57-NQ/TW: mục tiêu đến năm 2030, phần 2. Vị thế quốc gia về công nghệ số và sở hữu trí tuệ.\n"
        "Nhóm 3 nước dẫn đầu Đông Nam Á về nghiên cứu và phát triển trí tuệ nhân tạo.\n"
        "Nhóm 50 nước dẫn đầu thế giới về năng lực cạnh tranh số và chỉ số phát triển Chính phủ điện tử.\n"
        "Ít nhất 5 doanh nghiệp công nghệ số ngang tầm các nước tiên tiến.\n"
        "16–18%: tăng trưởng bình quân mỗi năm của đơn đăng ký và văn bằng bảo hộ sáng chế.\n"
        "8–10%: tỷ lệ sáng chế được khai thác thương mại.\n"
        "Nguồn: Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.",
    ),
]

BDHVS_PANEL = Panel(
    "ig-binh-dan-hoc-vu-so.png",
    "Bình dân học vụ số: 5 nhóm kỹ năng số cơ bản",
    "Năm bước đánh số từ 1 đến 5, mỗi bước là một nhóm kỹ năng số cơ bản cho người dân",
    "Bình dân học vụ số: 5 nhóm kỹ năng số cơ bản. Mỗi người dân biết dùng dịch vụ số an toàn, không ai bị bỏ "
    "lại phía sau.\n"
    "1. Dùng thiết bị số an toàn: cài mật khẩu, cập nhật phần mềm, chỉ tải ứng dụng từ kho chính thức.\n"
    "2. Định danh điện tử VNeID: kích hoạt tài khoản mức 2, tích hợp giấy tờ, dùng thay giấy tờ bản cứng.\n"
    "3. Dịch vụ công trực tuyến: nộp hồ sơ, thanh toán lệ phí và nhận kết quả không phải đến trụ sở.\n"
    "4. Thanh toán không dùng tiền mặt: chuyển khoản, quét mã QR khi mua bán, trả tiền điện, nước, học phí.\n"
    "5. Nhận diện lừa đảo trực tuyến: không chuyển tiền theo cuộc gọi lạ, không bấm đường link không rõ nguồn.",
)

DEMO_FIGURES = "Số liệu minh họa của bản trình diễn."

CONTENT = {
    "trunguong": SiteContent(
        articles=[
            Article(
                "trien-khai-dong-bo-nghi-quyet-57",
                "Triển khai đồng bộ Nghị quyết 57-NQ/TW trên phạm vi cả nước",
                "Các bộ, ngành, địa phương đã ban hành chương trình, kế hoạch hành động, xác định khoa học, công nghệ, "
                "đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu.",
                (2025, 1, 15, 9, 0),
                "hoi-nghi",
                "Hội nghị quán triệt, triển khai Nghị quyết 57-NQ/TW",
                [
                    p(
                        "Ngày 22/12/2024, Bộ Chính trị ban hành Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, "
                        "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.",
                        "Ngay sau đó, các cơ quan trung ương và địa phương đã tổ chức quán triệt tới cán bộ chủ chốt, "
                        "xây dựng kế hoạch hành động với nhiệm vụ, thời hạn và cơ quan chủ trì cụ thể.",
                    ),
                    h("Những chỉ tiêu chính đến năm 2030"),
                    table(
                        "Một số chỉ tiêu của Nghị quyết 57-NQ/TW đến năm 2030",
                        ("Chỉ tiêu", "Mục tiêu"),
                        ("Quy mô kinh tế số trong GDP", "tối thiểu 30%"),
                        ("Người dân, doanh nghiệp dùng dịch vụ công trực tuyến", "trên 80%"),
                        ("Chi cho nghiên cứu phát triển (R&D)", "2% GDP"),
                        ("Nhân lực nghiên cứu", "12 người trên một vạn dân"),
                    ),
                    p(
                        "Nghị quyết nhấn mạnh yêu cầu hoàn thiện thể chế, tháo gỡ điểm nghẽn, lấy người dân và doanh "
                        "nghiệp làm trung tâm.",
                        "Việc triển khai được theo dõi bằng chỉ tiêu đo lường được và công khai kết quả định kỳ.",
                    ),
                    quote(
                        "Mỗi cơ quan phải biến nghị quyết thành việc làm cụ thể, có người chịu trách nhiệm và có kết "
                        "quả đo được.",
                        "Phát biểu tại hội nghị quán triệt",
                    ),
                    p(
                        "Chuyên mục Nghị quyết 57 trên cổng thông tin của từng cơ quan là nơi đăng tải kịp thời các "
                        "văn bản chỉ đạo và tin tức triển khai, để người dân dễ tìm, dễ theo dõi.",
                    ),
                ],
                (KHCN, DMST, CDS),
                "Ban Biên tập",
            ),
            Article(
                "phat-dong-phong-trao-binh-dan-hoc-vu-so",
                "Phát động phong trào “Bình dân học vụ số” trên toàn quốc",
                "Phong trào hướng tới phổ cập kỹ năng số cơ bản cho mọi người dân, để không ai bị bỏ lại phía sau "
                "trong tiến trình chuyển đổi số.",
                (2025, 3, 26, 8, 30),
                "hoc-vu-so",
                "Một lớp Bình dân học vụ số dành cho người dân",
                [
                    p(
                        "Tiếp nối tinh thần của phong trào Bình dân học vụ năm 1945, phong trào “Bình dân học vụ số” "
                        "tập trung vào những kỹ năng người dân dùng hằng ngày: định danh điện tử, dịch vụ công trực "
                        "tuyến, thanh toán không dùng tiền mặt và phòng tránh lừa đảo trên mạng.",
                    ),
                    h("Học ngay tại thôn, bản, tổ dân phố"),
                    p(
                        "Các Tổ công nghệ số cộng đồng, đoàn viên thanh niên và giáo viên là lực lượng nòng cốt, "
                        "hướng dẫn trực tiếp trên điện thoại của người dân.",
                        "Nền tảng học trực tuyến mở cung cấp bài giảng ngắn, có phụ đề, xem được trên điện thoại.",
                    ),
                    image("tap-huan", "Cán bộ được tập huấn trước khi hướng dẫn lại cho người dân"),
                    quote(
                        "Trước đây tôi phải nhờ con cháu làm thủ tục, giờ tôi tự nộp hồ sơ trên điện thoại được rồi.",
                        "Một học viên lớp Bình dân học vụ số",
                    ),
                    p(
                        "Kết quả phong trào được tổng hợp hằng quý, gắn với chỉ tiêu tỷ lệ người trưởng thành có kỹ "
                        "năng số cơ bản của từng địa phương.",
                    ),
                ],
                (BDHVS, XHS),
                "Ban Biên tập",
            ),
            Article(
                "day-manh-dich-vu-cong-truc-tuyen-toan-trinh",
                "Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình",
                "Mục tiêu trên 80% người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến đòi hỏi thủ tục đơn "
                "giản hơn, dữ liệu được dùng lại và không bắt người dân khai lại thông tin đã có.",
                (2025, 8, 20, 14, 0),
                "mot-cua",
                "Bộ phận tiếp nhận và trả kết quả hướng dẫn người dân nộp hồ sơ trực tuyến",
                [
                    p(
                        "Các bộ, ngành và địa phương đang rà soát, cắt giảm giấy tờ, tái cấu trúc quy trình để thủ "
                        "tục hành chính được giải quyết hoàn toàn trên môi trường mạng.",
                    ),
                    h("Dữ liệu dùng chung, người dân không khai lại"),
                    p(
                        "Kết nối với Cơ sở dữ liệu quốc gia về dân cư giúp thông tin cá nhân được điền sẵn trong tờ "
                        "khai.",
                        "Kết quả giải quyết thủ tục được trả dưới dạng bản điện tử, có giá trị sử dụng như bản giấy.",
                    ),
                    quote(
                        "Thước đo của chính quyền số là người dân tiết kiệm được bao nhiêu thời gian, không phải bao "
                        "nhiêu phần mềm được mua.",
                        "Ý kiến tại tọa đàm về chính quyền số",
                    ),
                    p(
                        "Bộ phận Một cửa các cấp bố trí máy tính và người hướng dẫn để hỗ trợ người dân chưa quen "
                        "thao tác trực tuyến.",
                    ),
                ],
                (CQS, CDS),
                "Ban Biên tập",
            ),
            Article(
                "thuc-day-doanh-nghiep-doi-moi-sang-tao",
                "Thúc đẩy doanh nghiệp đổi mới sáng tạo, thương mại hóa kết quả nghiên cứu",
                "Cơ chế mới cho phép doanh nghiệp và viện nghiên cứu chia sẻ rủi ro, rút ngắn thời gian đưa kết "
                "quả nghiên cứu ra thị trường.",
                (2026, 4, 10, 10, 15),
                "thi-nghiem",
                "Phòng thí nghiệm ứng dụng công nghệ của một viện nghiên cứu",
                [
                    p(
                        "Nghị quyết 57-NQ/TW đặt mục tiêu tỷ lệ sáng chế được khai thác thương mại đạt 8–10% vào năm "
                        "2030.",
                        "Để làm được điều đó, doanh nghiệp phải trở thành trung tâm của hệ sinh thái đổi mới sáng "
                        "tạo.",
                    ),
                    h("Chấp nhận rủi ro trong nghiên cứu"),
                    p(
                        "Cơ chế khoán chi đến sản phẩm cuối cùng và chấp nhận rủi ro giúp nhà khoa học tập trung vào "
                        "kết quả thay vì thủ tục thanh toán.",
                        "Quỹ đổi mới công nghệ hỗ trợ doanh nghiệp nhỏ và vừa thử nghiệm sản phẩm mới.",
                    ),
                    table(
                        "Các hình thức hỗ trợ doanh nghiệp đổi mới sáng tạo",
                        ("Hình thức", "Nội dung"),
                        ("Quỹ đổi mới công nghệ", "Cho vay ưu đãi, tài trợ một phần dự án"),
                        ("Trung tâm đổi mới sáng tạo", "Không gian làm việc, thiết bị thử nghiệm"),
                        ("Đặt hàng nghiên cứu", "Doanh nghiệp nêu bài toán, viện và trường cùng giải"),
                    ),
                    quote(
                        "Sản phẩm nghiên cứu chỉ có giá trị khi có người dùng và có người sẵn sàng trả tiền cho nó.",
                        "Đại diện một doanh nghiệp công nghệ",
                    ),
                ],
                (DMST, KHCN, KTS),
                "Ban Biên tập",
            ),
        ],
        infographics=[
            Infographic(
                "nghi-quyet-57-muc-tieu-den-nam-2030",
                "Nghị quyết 57-NQ/TW: các mục tiêu đến năm 2030",
                "Mười chỉ tiêu chính về kinh tế số, dịch vụ công trực tuyến, nghiên cứu phát triển và sáng chế.",
                (2025, 1, 20, 8, 0),
                NQ57_PANELS,
                (KHCN, DMST, CDS),
            ),
            Infographic(
                "binh-dan-hoc-vu-so-5-nhom-ky-nang",
                "Bình dân học vụ số: 5 nhóm kỹ năng số cơ bản",
                "Những kỹ năng mỗi người dân cần để dùng dịch vụ số an toàn.",
                (2025, 4, 2, 8, 0),
                [BDHVS_PANEL],
                (BDHVS, XHS),
            ),
        ],
        videos=[
            VideoItem(
                "video-toan-canh-trien-khai-nghi-quyet-57",
                "Toàn cảnh triển khai Nghị quyết 57-NQ/TW",
                "Từ hội nghị quán triệt đến hạ tầng số và phòng thí nghiệm: những việc đang làm.",
                (2025, 2, 10, 16, 0),
                "hoi-nghi",
                (KHCN, CDS),
            ),
            VideoItem(
                "video-binh-dan-hoc-vu-so-ky-nang-so-cho-moi-nguoi",
                "Bình dân học vụ số: kỹ năng số cho mọi người dân",
                "Học dùng dịch vụ công trực tuyến và thanh toán bằng mã QR ngay tại thôn, bản.",
                (2025, 4, 15, 16, 0),
                "hoc-vu-so",
                (BDHVS, XHS),
            ),
        ],
    ),
    "langson": SiteContent(
        articles=[
            Article(
                "lang-son-ban-hanh-ke-hoach-thuc-hien-nghi-quyet-57",
                "UBND tỉnh Lạng Sơn ban hành kế hoạch thực hiện Nghị quyết 57-NQ/TW",
                "Kế hoạch giao nhiệm vụ cụ thể cho các sở, ngành và UBND cấp xã, với thời hạn hoàn thành và chỉ "
                "tiêu đo lường được.",
                (2025, 2, 20, 15, 30),
                "hoi-nghi",
                "Hội nghị triển khai kế hoạch thực hiện Nghị quyết 57-NQ/TW tại Lạng Sơn",
                [
                    p(
                        "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị, UBND tỉnh Lạng Sơn đã ban hành kế hoạch "
                        "hành động, xác định khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là động lực để "
                        "phát triển kinh tế cửa khẩu, nông nghiệp hàng hóa và du lịch.",
                    ),
                    h("Nhiệm vụ trọng tâm năm 2025"),
                    table(
                        "Một số nhiệm vụ trong kế hoạch",
                        ("Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"),
                        ("Vận hành Trung tâm dữ liệu và điều hành số", "Sở Khoa học và Công nghệ", "Quý III/2025"),
                        ("Số hóa hồ sơ, kết quả thủ tục hành chính", "Văn phòng UBND tỉnh", "Quý IV/2025"),
                        ("Cửa khẩu số tại các cửa khẩu chính", "Sở Công Thương", "Năm 2025"),
                        ("Bình dân học vụ số tại 100% thôn, khối phố", "UBND các xã, phường", "Năm 2025"),
                    ),
                    p(
                        "Người đứng đầu các cơ quan chịu trách nhiệm trước Chủ tịch UBND tỉnh về kết quả thực hiện; "
                        "tiến độ được cập nhật hằng tháng trên hệ thống theo dõi nhiệm vụ.",
                    ),
                    quote(
                        "Việc gì đã giao phải rõ người, rõ việc, rõ thời hạn, rõ kết quả.",
                        "Lãnh đạo UBND tỉnh Lạng Sơn",
                    ),
                ],
                (KHCN, DMST, CDS),
                "Văn phòng UBND tỉnh",
            ),
            Article(
                "lang-son-van-hanh-trung-tam-du-lieu-va-dieu-hanh-so",
                "Lạng Sơn đưa Trung tâm dữ liệu và điều hành số vào vận hành",
                "Trung tâm kết nối dữ liệu của các sở, ngành và cửa khẩu, giúp lãnh đạo tỉnh theo dõi tình hình "
                "kinh tế – xã hội gần như theo thời gian thực.",
                (2025, 7, 8, 9, 45),
                "du-lieu",
                "Hệ thống máy chủ tại Trung tâm dữ liệu và điều hành số tỉnh",
                [
                    p(
                        "Trung tâm tích hợp dữ liệu về thủ tục hành chính, phương tiện xuất nhập khẩu qua cửa khẩu, "
                        "phản ánh của người dân và các chỉ tiêu kinh tế – xã hội chủ yếu.",
                    ),
                    h("Dữ liệu phục vụ chỉ đạo, điều hành"),
                    p(
                        "Các bảng theo dõi trực quan cho thấy số hồ sơ quá hạn theo từng cơ quan, lượng xe chờ thông "
                        "quan và tiến độ giải ngân vốn đầu tư công.",
                        "Cán bộ trực trung tâm cảnh báo sớm khi một chỉ số vượt ngưỡng.",
                    ),
                    quote(
                        "Có dữ liệu đúng, đủ, sạch, sống thì chỉ đạo mới sát thực tế.",
                        "Đại diện Sở Khoa học và Công nghệ",
                    ),
                    p(
                        "Trong giai đoạn tiếp theo, tỉnh mở rộng kết nối tới cấp xã và công khai một phần dữ liệu mở "
                        "cho người dân, doanh nghiệp.",
                    ),
                ],
                (CQS, CDS),
                "Sở Khoa học và Công nghệ",
            ),
            Article(
                "nong-san-lang-son-truy-xuat-nguon-goc-bang-ma-qr",
                "Nông sản Lạng Sơn lên sàn thương mại điện tử, truy xuất nguồn gốc bằng mã QR",
                "Na, hồi, quýt và thạch đen của các hợp tác xã được gắn mã truy xuất nguồn gốc, mở rộng đầu ra "
                "qua các sàn thương mại điện tử.",
                (2025, 10, 14, 10, 0),
                "truy-xuat",
                "Biển mã QR truy xuất nguồn gốc tại vùng trồng",
                [
                    p(
                        "Nhiều hợp tác xã trên địa bàn tỉnh đã ghi nhật ký sản xuất điện tử, gắn mã QR lên bao bì để "
                        "người mua kiểm tra vùng trồng, ngày thu hoạch và đơn vị đóng gói.",
                    ),
                    h("Bán hàng trực tuyến, thanh toán không dùng tiền mặt"),
                    p(
                        "Các phiên livestream bán nông sản do đoàn viên thanh niên hỗ trợ giúp sản phẩm đến với người "
                        "mua ở các thành phố lớn.",
                        "Hầu hết giao dịch được thanh toán qua chuyển khoản hoặc ví điện tử.",
                    ),
                    image("cho-qr", "Người bán hàng dùng mã QR để nhận thanh toán"),
                    quote(
                        "Khách hàng quét mã là biết quả na được trồng ở đâu, thu hái ngày nào, nên yên tâm đặt mua.",
                        "Đại diện một hợp tác xã nông nghiệp",
                    ),
                ],
                (KTS, CDS),
                "Sở Công Thương",
            ),
            Article(
                "lang-son-so-ket-chuyen-doi-so-nam-2025",
                "Lạng Sơn sơ kết công tác chuyển đổi số năm 2025, triển khai nhiệm vụ năm 2026",
                "Nhiều chỉ tiêu về chính quyền số đạt và vượt kế hoạch; tỉnh xác định năm 2026 tập trung vào dữ "
                "liệu và kỹ năng số của người dân.",
                (2026, 1, 12, 14, 30),
                "so-ket",
                "Hội nghị sơ kết công tác chuyển đổi số năm 2025",
                [
                    p(
                        "Năm 2025, tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến của tỉnh tăng mạnh; "
                        "văn bản giữa các cơ quan nhà nước cơ bản được ký số và gửi nhận trên môi trường mạng.",
                    ),
                    h("Kết quả nổi bật"),
                    table(
                        "Một số chỉ tiêu năm 2025 (số liệu minh họa)",
                        ("Chỉ tiêu", "Kế hoạch", "Thực hiện"),
                        ("Hồ sơ tiếp nhận trực tuyến", "80%", "87,6%"),
                        ("Văn bản điện tử có ký số", "95%", "100%"),
                        ("Thôn, khối phố có Tổ công nghệ số cộng đồng", "100%", "100%"),
                    ),
                    p(
                        "Hội nghị cũng chỉ ra hạn chế: một số cơ sở dữ liệu chuyên ngành chưa được làm sạch, kỹ năng "
                        "số của một bộ phận người dân vùng sâu còn hạn chế.",
                    ),
                    quote(
                        "Năm 2026 phải là năm của dữ liệu: dữ liệu được kết nối, dùng chung và phục vụ người dân.",
                        "Kết luận của chủ trì hội nghị",
                    ),
                ],
                (CDS, CQS),
                "Văn phòng UBND tỉnh",
            ),
            Article(
                "lang-son-to-chuc-ngay-chuyen-doi-so-nam-2026",
                "Lạng Sơn tổ chức Ngày Chuyển đổi số tỉnh năm 2026",
                "Chuỗi hoạt động trải nghiệm dịch vụ số cho người dân dự kiến diễn ra tại quảng trường trung tâm.",
                (2026, 10, 5, 8, 0),
                "tap-huan",
                "Một lớp tập huấn kỹ năng số cho cán bộ trước Ngày Chuyển đổi số",
                [
                    p(
                        "Bản thảo đang chờ lãnh đạo duyệt: chương trình gồm gian trưng bày giải pháp số, khu hướng dẫn "
                        "định danh điện tử và tọa đàm về kinh tế số cửa khẩu.",
                    ),
                    h("Nội dung dự kiến"),
                    p("Thời gian, địa điểm cụ thể sẽ được cập nhật sau khi kế hoạch được phê duyệt."),
                ],
                (CDS, XHS),
                "Văn phòng UBND tỉnh",
                draft=True,
            ),
        ],
        infographics=[
            Infographic(
                "lang-son-chuyen-doi-so-9-thang-nam-2025",
                "Lạng Sơn: chuyển đổi số 9 tháng năm 2025",
                "Bốn chỉ tiêu chính quyền số, kinh tế số, xã hội số tiêu biểu.",
                (2025, 10, 6, 9, 0),
                [
                    Panel(
                        "ig-langson-cds-9-thang.png",
                        "Lạng Sơn: chuyển đổi số 9 tháng năm 2025",
                        "Bốn con số lớn về hồ sơ trực tuyến, ký số, Tổ công nghệ số cộng đồng và thanh toán điện tử "
                        "của Lạng Sơn",
                        "Lạng Sơn: chuyển đổi số 9 tháng năm 2025. Một số chỉ tiêu chính quyền số, kinh tế số, xã "
                        "hội số.\n"
                        "87,6%: hồ sơ thủ tục hành chính được tiếp nhận trực tuyến.\n"
                        "100%: văn bản giữa các cơ quan nhà nước được ký số (trừ văn bản mật).\n"
                        "Hơn 1.200: Tổ công nghệ số cộng đồng ở thôn, khối phố.\n"
                        "76%: người trưởng thành có tài khoản thanh toán điện tử.\n" + DEMO_FIGURES,
                    )
                ],
                (CDS, CQS, KTS),
            ),
            Infographic(
                "ho-so-truc-tuyen-toan-trinh-tai-lang-son",
                "Hồ sơ trực tuyến toàn trình tại Lạng Sơn",
                "Tỷ lệ tăng đều qua từng quý; tư pháp – hộ tịch là lĩnh vực có nhiều hồ sơ trực tuyến nhất.",
                (2026, 4, 8, 9, 0),
                [
                    Panel(
                        "ig-langson-ho-so-truc-tuyen-1.png",
                        "Tỷ lệ hồ sơ trực tuyến toàn trình theo quý tại Lạng Sơn",
                        "Biểu đồ thanh ngang: tỷ lệ hồ sơ trực tuyến toàn trình tăng từ 52% lên 83% qua năm quý",
                        "Hồ sơ trực tuyến toàn trình tại Lạng Sơn: tỷ lệ hồ sơ nộp và giải quyết hoàn toàn trên môi "
                        "trường mạng, theo quý.\n"
                        "Quý I/2025: 52%.\nQuý II/2025: 61%.\nQuý III/2025: 70%.\nQuý IV/2025: 78%.\n"
                        "Quý I/2026: 83%.\n" + DEMO_FIGURES,
                        "Tỷ lệ theo quý",
                    ),
                    Panel(
                        "ig-langson-ho-so-truc-tuyen-2.png",
                        "Hồ sơ trực tuyến theo lĩnh vực tại Lạng Sơn, quý I/2026",
                        "Biểu đồ thanh ngang: số hồ sơ trực tuyến của năm lĩnh vực, nhiều nhất là tư pháp – hộ tịch",
                        "Năm lĩnh vực có nhiều hồ sơ trực tuyến nhất tại Lạng Sơn, quý I/2026.\n"
                        "Tư pháp – hộ tịch: 18.420 hồ sơ.\nĐất đai: 9.315 hồ sơ.\nLao động – việc làm: 6.240 hồ sơ.\n"
                        "Giao thông vận tải: 4.870 hồ sơ.\nĐầu tư, kinh doanh: 2.150 hồ sơ.\n" + DEMO_FIGURES,
                        "Theo lĩnh vực",
                    ),
                ],
                (CQS, CDS),
            ),
        ],
        videos=[
            VideoItem(
                "video-lang-son-quan-triet-nghi-quyet-57",
                "Lạng Sơn quán triệt Nghị quyết 57-NQ/TW tới cán bộ chủ chốt",
                "Hình ảnh hội nghị và những việc tỉnh triển khai ngay sau đó.",
                (2025, 2, 21, 17, 0),
                "hoi-nghi",
                (KHCN, DMST, CDS),
            ),
        ],
    ),
    "thanhtra-langson": SiteContent(
        articles=[
            Article(
                "thanh-tra-tinh-quan-triet-nghi-quyet-57",
                "Thanh tra tỉnh quán triệt Nghị quyết 57-NQ/TW tới toàn thể công chức",
                "Thanh tra tỉnh Lạng Sơn xác định chuyển đổi số trong công tác thanh tra, tiếp công dân là nhiệm vụ "
                "thường xuyên của từng phòng nghiệp vụ.",
                (2025, 3, 5, 8, 0),
                "hoi-nghi",
                "Hội nghị quán triệt Nghị quyết 57-NQ/TW tại Thanh tra tỉnh",
                [
                    p(
                        "Tại hội nghị, công chức được phổ biến những nội dung cốt lõi của Nghị quyết 57-NQ/TW và kế "
                        "hoạch thực hiện của UBND tỉnh.",
                        "Thanh tra tỉnh đã cụ thể hóa thành các nhiệm vụ gắn với chức năng của ngành.",
                    ),
                    h("Ba nhóm nhiệm vụ của ngành thanh tra"),
                    p(
                        "Thứ nhất, số hóa toàn bộ hồ sơ thanh tra, giải quyết khiếu nại, tố cáo.",
                        "Thứ hai, tiếp nhận đơn thư trên môi trường điện tử.",
                        "Thứ ba, thanh tra, kiểm tra việc sử dụng kinh phí khoa học, công nghệ để bảo đảm hiệu quả, "
                        "đúng quy định.",
                    ),
                    quote(
                        "Minh bạch là điều kiện để đổi mới sáng tạo; thanh tra phải đồng hành chứ không cản trở.",
                        "Lãnh đạo Thanh tra tỉnh Lạng Sơn",
                    ),
                ],
                (KHCN, CDS),
                "Văn phòng Thanh tra tỉnh",
            ),
            Article(
                "so-hoa-ho-so-thanh-tra-tiep-nhan-don-thu-dien-tu",
                "Số hóa hồ sơ thanh tra, tiếp nhận đơn thư trên môi trường điện tử",
                "Người dân có thể gửi đơn kiến nghị, phản ánh qua Cổng dịch vụ công và theo dõi tiến độ xử lý "
                "trên điện thoại.",
                (2025, 6, 18, 10, 30),
                "thanh-tra",
                "Hệ thống quản lý đơn thư, khiếu nại của Thanh tra tỉnh",
                [
                    p(
                        "Hệ thống quản lý đơn thư mới cho phép tiếp nhận, phân loại và chuyển xử lý đơn ngay trên môi "
                        "trường mạng, thay cho sổ theo dõi giấy.",
                    ),
                    h("Kết quả sau sáu tháng"),
                    table(
                        "Kết quả số hóa và tiếp nhận đơn (số liệu minh họa)",
                        ("Nội dung", "Kết quả"),
                        ("Hồ sơ thanh tra đã số hóa", "1.460 hồ sơ"),
                        ("Đơn tiếp nhận trực tuyến", "128 đơn"),
                        ("Đơn xử lý đúng hạn", "97,3%"),
                    ),
                    p(
                        "Mọi thay đổi trạng thái đơn đều được ghi lại, giúp lãnh đạo theo dõi tiến độ và người gửi đơn "
                        "biết đơn của mình đang ở bước nào.",
                    ),
                    quote(
                        "Tôi nhận được tin nhắn báo đơn đã được chuyển đến đúng cơ quan chỉ sau hai ngày.",
                        "Một người dân gửi đơn trực tuyến",
                    ),
                ],
                (CQS, CDS),
                "Văn phòng Thanh tra tỉnh",
            ),
            Article(
                "tap-huan-ky-nang-so-an-toan-thong-tin-cong-chuc-thanh-tra",
                "Tập huấn kỹ năng số, an toàn thông tin cho công chức thanh tra",
                "Khóa tập huấn giúp công chức sử dụng thành thạo chữ ký số, hệ thống quản lý văn bản và nhận diện "
                "các hình thức tấn công mạng phổ biến.",
                (2025, 9, 24, 14, 0),
                "tap-huan",
                "Công chức Thanh tra tỉnh tham gia tập huấn kỹ năng số",
                [
                    p(
                        "Hưởng ứng phong trào “Bình dân học vụ số”, Thanh tra tỉnh tổ chức hai lớp tập huấn cho toàn "
                        "bộ công chức, người lao động.",
                    ),
                    h("Nội dung thực hành"),
                    p(
                        "Học viên thực hành ký số văn bản, tra cứu hồ sơ trên hệ thống quản lý đơn thư và xử lý tình "
                        "huống thư điện tử giả mạo.",
                    ),
                    quote(
                        "Dữ liệu thanh tra là dữ liệu nhạy cảm, mỗi công chức phải là một lớp bảo vệ.",
                        "Giảng viên lớp tập huấn",
                    ),
                ],
                (BDHVS, CDS),
                "Văn phòng Thanh tra tỉnh",
            ),
            Article(
                "thanh-tra-su-dung-kinh-phi-khoa-hoc-cong-nghe",
                "Thanh tra việc sử dụng kinh phí khoa học, công nghệ: minh bạch để khuyến khích đổi mới",
                "Đoàn thanh tra chú trọng hướng dẫn, tháo gỡ vướng mắc, phân biệt rủi ro trong nghiên cứu với vi "
                "phạm pháp luật.",
                (2026, 5, 27, 9, 0),
                "thi-nghiem",
                "Phòng thí nghiệm của một đơn vị được thanh tra",
                [
                    p(
                        "Theo kế hoạch năm 2026, Thanh tra tỉnh tiến hành thanh tra việc quản lý, sử dụng kinh phí "
                        "sự nghiệp khoa học và công nghệ tại một số đơn vị.",
                    ),
                    h("Phân biệt rủi ro và vi phạm"),
                    p(
                        "Tinh thần của Nghị quyết 57-NQ/TW là chấp nhận rủi ro, độ trễ trong nghiên cứu.",
                        "Đoàn thanh tra tập trung vào tính minh bạch của quy trình, không quy trách nhiệm khi đề tài "
                        "đã thực hiện đúng quy định mà không đạt kết quả như kỳ vọng.",
                    ),
                    quote(
                        "Chúng tôi muốn nhà khoa học yên tâm làm việc, còn đồng tiền ngân sách thì được dùng đúng chỗ.",
                        "Trưởng đoàn thanh tra",
                    ),
                ],
                (KHCN, DMST),
                "Văn phòng Thanh tra tỉnh",
            ),
        ],
        infographics=[
            Infographic(
                "thanh-tra-so-don-thu-tren-moi-truong-dien-tu",
                "Thanh tra số: đơn thư trên môi trường điện tử",
                "Kết quả tiếp nhận, xử lý đơn qua hệ thống điện tử năm 2025.",
                (2025, 12, 22, 9, 0),
                [
                    Panel(
                        "ig-thanhtra-don-dien-tu.png",
                        "Thanh tra số: đơn thư trên môi trường điện tử",
                        "Bốn con số lớn về đơn tiếp nhận trực tuyến, tỷ lệ đúng hạn, thời gian xử lý và số hóa kết "
                        "luận thanh tra",
                        "Thanh tra số: đơn thư trên môi trường điện tử. Kết quả tiếp nhận, xử lý đơn qua hệ thống "
                        "điện tử năm 2025.\n"
                        "128: đơn tiếp nhận qua Cổng dịch vụ công và hộp thư điện tử.\n"
                        "97,3%: đơn được phân loại, xử lý đúng hạn.\n"
                        "15 ngày: thời gian xử lý trung bình, giảm 6 ngày so với năm 2024.\n"
                        "100%: kết luận thanh tra được số hóa, lưu trữ điện tử.\n" + DEMO_FIGURES,
                    )
                ],
                (CQS, CDS),
            ),
            Infographic(
                "gui-don-kien-nghi-phan-anh-truc-tuyen-4-buoc",
                "Gửi đơn kiến nghị, phản ánh trực tuyến: 4 bước",
                "Không phải đến trụ sở, theo dõi kết quả trên điện thoại.",
                (2026, 2, 3, 9, 0),
                [
                    Panel(
                        "ig-thanhtra-gui-don.png",
                        "Gửi đơn kiến nghị, phản ánh trực tuyến: 4 bước",
                        "Bốn bước đánh số để gửi đơn kiến nghị, phản ánh trực tuyến",
                        "Gửi đơn kiến nghị, phản ánh trực tuyến: 4 bước. Không phải đến trụ sở, theo dõi kết quả "
                        "trên điện thoại.\n"
                        "1. Đăng nhập: dùng tài khoản định danh điện tử VNeID trên Cổng dịch vụ công.\n"
                        "2. Khai nội dung đơn: nêu rõ sự việc, địa điểm, thời gian; đính kèm ảnh hoặc tài liệu.\n"
                        "3. Nhận mã hồ sơ: hệ thống gửi mã qua tin nhắn và thư điện tử để tra cứu.\n"
                        "4. Theo dõi, nhận kết quả: văn bản trả lời được gửi về tài khoản và địa chỉ đã đăng ký.",
                    )
                ],
                (CQS, BDHVS),
            ),
        ],
        videos=[
            VideoItem(
                "video-ky-nang-so-cho-cong-chuc-va-nguoi-dan",
                "Kỹ năng số cho công chức và người dân",
                "Công chức thanh tra cùng tham gia hướng dẫn người dân dùng dịch vụ công trực tuyến.",
                (2025, 10, 2, 16, 30),
                "hoc-vu-so",
                (BDHVS, XHS),
            ),
        ],
    ),
    "hoangvanthu": SiteContent(
        articles=[
            Article(
                "xa-hoang-van-thu-ra-mat-to-cong-nghe-so-cong-dong",
                "Xã Hoàng Văn Thụ ra mắt 18 Tổ công nghệ số cộng đồng",
                "Mỗi thôn có một tổ gồm trưởng thôn, đoàn viên thanh niên và người có kỹ năng số, trực tiếp hướng "
                "dẫn người dân tại nhà văn hóa.",
                (2025, 4, 2, 19, 0),
                "hoc-vu-so",
                "Tổ công nghệ số cộng đồng hướng dẫn người dân tại nhà văn hóa thôn",
                [
                    p(
                        "UBND xã Hoàng Văn Thụ đã ra mắt 18 Tổ công nghệ số cộng đồng, phủ kín các thôn trên địa bàn.",
                        "Các tổ được tập huấn về định danh điện tử, dịch vụ công trực tuyến và thanh toán không dùng "
                        "tiền mặt.",
                    ),
                    h("Đến từng nhà, hướng dẫn từng việc"),
                    p(
                        "Lịch hướng dẫn được thông báo trên loa truyền thanh và nhóm Zalo của thôn.",
                        "Người cao tuổi, người khuyết tật được hỗ trợ tại nhà.",
                    ),
                    quote(
                        "Bà con hỏi gì chúng tôi hướng dẫn nấy, làm đi làm lại đến khi tự làm được thì thôi.",
                        "Tổ trưởng một Tổ công nghệ số cộng đồng",
                    ),
                ],
                (BDHVS, XHS),
                "Văn phòng HĐND và UBND xã",
            ),
            Article(
                "cho-xa-hoang-van-thu-nguoi-ban-nguoi-mua-cung-quet-ma-qr",
                "Chợ xã Hoàng Văn Thụ: người bán, người mua cùng quét mã QR",
                "Hầu hết hộ kinh doanh ở chợ xã đã có mã QR nhận tiền; tiểu thương không còn lo thiếu tiền lẻ.",
                (2025, 8, 5, 7, 30),
                "cho-qr",
                "Quầy hoa quả ở chợ xã nhận thanh toán bằng mã QR",
                [
                    p(
                        "Sau ba tháng vận động, 64 hộ kinh doanh ở chợ xã đã mở tài khoản và in mã QR nhận thanh "
                        "toán.",
                        "Đoàn thanh niên xã hỗ trợ đăng ký và hướng dẫn kiểm tra tiền vào tài khoản.",
                    ),
                    h("An toàn khi nhận tiền"),
                    p(
                        "Tiểu thương được hướng dẫn bật thông báo biến động số dư và không chấp nhận ảnh chụp màn "
                        "hình chuyển khoản thay cho thông báo của ngân hàng.",
                    ),
                    quote(
                        "Khách trẻ giờ ít mang tiền mặt, có mã QR là bán được hàng ngay.",
                        "Một tiểu thương ở chợ xã",
                    ),
                ],
                (KTS, XHS),
                "Văn phòng HĐND và UBND xã",
            ),
            Article(
                "bo-phan-mot-cua-xa-huong-dan-nop-ho-so-truc-tuyen",
                "Bộ phận Một cửa xã hướng dẫn người dân nộp hồ sơ trực tuyến",
                "Khi người dân đến làm thủ tục, công chức hướng dẫn nộp hồ sơ trên điện thoại để lần sau có thể "
                "tự làm tại nhà.",
                (2025, 11, 19, 9, 0),
                "mot-cua",
                "Bộ phận tiếp nhận và trả kết quả của UBND xã",
                [
                    p(
                        "Bộ phận Một cửa xã bố trí một máy tính và một công chức chuyên hướng dẫn nộp hồ sơ trực "
                        "tuyến.",
                        "Các thủ tục có nhiều người làm nhất là đăng ký khai sinh, chứng thực và xác nhận tình trạng "
                        "hôn nhân.",
                    ),
                    h("Kết quả 10 tháng năm 2025"),
                    table(
                        "Hồ sơ tiếp nhận tại xã (số liệu minh họa)",
                        ("Thủ tục", "Tổng số hồ sơ", "Nộp trực tuyến"),
                        ("Đăng ký khai sinh", "412", "371"),
                        ("Chứng thực bản sao", "1.185", "602"),
                        ("Xác nhận tình trạng hôn nhân", "236", "198"),
                    ),
                    quote(
                        "Lần đầu có người hướng dẫn, lần sau tôi tự làm ở nhà, không phải nghỉ làm để lên xã.",
                        "Một người dân trong xã",
                    ),
                ],
                (CQS, BDHVS),
                "Văn phòng HĐND và UBND xã",
            ),
            Article(
                "lop-binh-dan-hoc-vu-so-cho-nguoi-cao-tuoi",
                "Lớp “Bình dân học vụ số” cho người cao tuổi",
                "Hội Người cao tuổi xã phối hợp với Đoàn thanh niên mở lớp hướng dẫn dùng điện thoại thông minh an "
                "toàn.",
                (2026, 3, 16, 15, 0),
                "tap-huan",
                "Người cao tuổi trong xã học dùng điện thoại thông minh",
                [
                    p(
                        "Lớp học diễn ra vào chiều thứ Bảy hằng tuần tại hội trường UBND xã.",
                        "Mỗi học viên được một đoàn viên kèm riêng.",
                    ),
                    h("Nhận diện lừa đảo qua điện thoại"),
                    p(
                        "Nội dung được nhiều học viên quan tâm nhất là cách nhận biết cuộc gọi giả danh cơ quan công "
                        "an, ngân hàng và các đường link lạ.",
                    ),
                    quote(
                        "Giờ tôi biết gọi video cho con cháu, biết xem tin tức của xã, và biết không bấm vào link lạ.",
                        "Một học viên của lớp",
                    ),
                ],
                (BDHVS, XHS),
                "Văn phòng HĐND và UBND xã",
            ),
        ],
        infographics=[
            Infographic(
                "xa-hoang-van-thu-binh-dan-hoc-vu-so-sau-6-thang",
                "Xã Hoàng Văn Thụ: Bình dân học vụ số sau 6 tháng",
                "Kết quả phổ cập kỹ năng số cho người dân trong xã.",
                (2025, 10, 1, 9, 0),
                [
                    Panel(
                        "ig-hoangvanthu-hoc-vu-so.png",
                        "Xã Hoàng Văn Thụ: Bình dân học vụ số",
                        "Bốn con số lớn về Tổ công nghệ số cộng đồng, lượt người dân được hướng dẫn, điện thoại "
                        "thông minh và thanh toán QR",
                        "Xã Hoàng Văn Thụ: Bình dân học vụ số. Kết quả phổ cập kỹ năng số cho người dân sau 6 "
                        "tháng.\n"
                        "18: Tổ công nghệ số cộng đồng ở các thôn.\n"
                        "2.350: lượt người dân được hướng dẫn kỹ năng số.\n"
                        "92%: hộ gia đình có điện thoại thông minh.\n"
                        "64: hộ kinh doanh ở chợ xã nhận thanh toán bằng mã QR.\n" + DEMO_FIGURES,
                    )
                ],
                (BDHVS, XHS),
            ),
            Infographic(
                "nop-ho-so-tren-cong-dich-vu-cong-quoc-gia-5-buoc",
                "Nộp hồ sơ trên Cổng Dịch vụ công quốc gia: 5 bước",
                "Hướng dẫn của Tổ công nghệ số cộng đồng xã.",
                (2026, 1, 20, 9, 0),
                [
                    Panel(
                        "ig-hoangvanthu-nop-ho-so.png",
                        "Nộp hồ sơ trên Cổng Dịch vụ công quốc gia: 5 bước",
                        "Năm bước đánh số để nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
                        "Nộp hồ sơ trên Cổng Dịch vụ công quốc gia: 5 bước. Hướng dẫn của Tổ công nghệ số cộng đồng "
                        "xã.\n"
                        "1. Đăng nhập bằng VNeID: mở Cổng Dịch vụ công quốc gia, chọn đăng nhập bằng tài khoản định "
                        "danh điện tử.\n"
                        "2. Chọn thủ tục: gõ tên thủ tục, ví dụ “đăng ký khai sinh”, chọn cơ quan là UBND xã.\n"
                        "3. Điền tờ khai, tải giấy tờ: thông tin cá nhân được điền sẵn; chụp ảnh giấy tờ cần nộp.\n"
                        "4. Thanh toán trực tuyến: trả phí, lệ phí qua ngân hàng hoặc ví điện tử nếu thủ tục có "
                        "thu.\n"
                        "5. Nhận kết quả: nhận bản điện tử trên tài khoản hoặc nhận bản giấy qua bưu điện.",
                    )
                ],
                (CQS, BDHVS),
            ),
        ],
        videos=[
            VideoItem(
                "video-binh-dan-hoc-vu-so-o-xa-hoang-van-thu",
                "Bình dân học vụ số ở xã Hoàng Văn Thụ",
                "Từ lớp học ở nhà văn hóa thôn đến quầy hàng quét mã QR ở chợ xã.",
                (2025, 9, 9, 18, 0),
                "hoc-vu-so",
                (BDHVS, XHS, KTS),
            ),
        ],
    ),
    "vpubnd-laichau": SiteContent(
        articles=[
            Article(
                "van-phong-ubnd-tinh-lai-chau-trien-khai-nghi-quyet-57",
                "Văn phòng UBND tỉnh Lai Châu triển khai kế hoạch thực hiện Nghị quyết 57-NQ/TW",
                "Văn phòng xác định vai trò đầu mối tham mưu xây dựng chính quyền số, bảo đảm điều hành của UBND "
                "tỉnh thông suốt trên môi trường mạng.",
                (2025, 2, 27, 10, 0),
                "hoi-nghi",
                "Hội nghị triển khai kế hoạch tại Văn phòng UBND tỉnh Lai Châu",
                [
                    p(
                        "Văn phòng UBND tỉnh Lai Châu đã ban hành kế hoạch thực hiện Nghị quyết 57-NQ/TW và chương "
                        "trình hành động của tỉnh, giao nhiệm vụ cho từng phòng, đơn vị trực thuộc.",
                    ),
                    h("Nhiệm vụ của Văn phòng"),
                    table(
                        "Một số nhiệm vụ trong kế hoạch",
                        ("Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn"),
                        ("Họp không giấy tại các phiên họp UBND tỉnh", "Phòng Hành chính – Tổ chức", "Quý II/2025"),
                        ("Theo dõi nhiệm vụ giao trên hệ thống điện tử", "Phòng Tổng hợp", "Quý III/2025"),
                        ("Số hóa kết quả thủ tục hành chính", "Trung tâm Phục vụ hành chính công", "Năm 2025"),
                    ),
                    quote(
                        "Văn phòng phải đi trước một bước để các sở, ngành có mô hình mà làm theo.",
                        "Lãnh đạo Văn phòng UBND tỉnh Lai Châu",
                    ),
                ],
                (CDS, CQS),
                "Văn phòng UBND tỉnh",
            ),
            Article(
                "lai-chau-van-hanh-he-thong-hop-khong-giay",
                "Lai Châu vận hành hệ thống họp không giấy tại UBND tỉnh",
                "Tài liệu họp được gửi trên hệ thống trước ít nhất hai ngày; đại biểu đọc, góp ý và biểu quyết "
                "trên máy tính bảng.",
                (2025, 5, 21, 14, 0),
                "du-lieu",
                "Hạ tầng máy chủ phục vụ hệ thống họp không giấy",
                [
                    p(
                        "Từ tháng 5/2025, các phiên họp thường kỳ của UBND tỉnh Lai Châu không còn dùng tài liệu "
                        "giấy.",
                        "Mỗi phiên họp tiết kiệm hàng nghìn trang in và thời gian chuẩn bị.",
                    ),
                    h("Kết nối tới cấp xã"),
                    p(
                        "Hệ thống họp trực tuyến kết nối 35 điểm cầu tới các xã, giúp cán bộ vùng cao không phải đi "
                        "xa để dự họp.",
                    ),
                    quote(
                        "Đường lên tỉnh của nhiều xã mất nửa ngày; họp trực tuyến giúp cán bộ ở lại cơ sở làm việc.",
                        "Cán bộ Văn phòng UBND tỉnh",
                    ),
                ],
                (CQS, CDS),
                "Văn phòng UBND tỉnh",
            ),
            Article(
                "nong-san-lai-chau-truy-xuat-nguon-goc",
                "Chè Shan tuyết, sâm Lai Châu được truy xuất nguồn gốc bằng mã QR",
                "Nhật ký canh tác điện tử giúp nông sản vùng cao chứng minh chất lượng và vào được các kênh bán "
                "hàng trực tuyến.",
                (2025, 12, 3, 9, 30),
                "truy-xuat",
                "Ruộng bậc thang và biển mã QR truy xuất nguồn gốc ở Lai Châu",
                [
                    p(
                        "Các hợp tác xã trồng chè và dược liệu được hỗ trợ ghi nhật ký canh tác trên điện thoại, mỗi "
                        "lô hàng có một mã QR riêng.",
                    ),
                    h("Nâng giá trị nông sản vùng cao"),
                    p(
                        "Người mua quét mã để xem vùng trồng, quy trình chăm sóc và chứng nhận chất lượng.",
                        "Một số sản phẩm đã được bán qua sàn thương mại điện tử và các cửa hàng ở thành phố lớn.",
                    ),
                    image("cho-qr", "Thanh toán bằng mã QR tại điểm bán nông sản"),
                    quote(
                        "Có mã truy xuất, chè của bà con được trả giá cao hơn và bán được quanh năm.",
                        "Đại diện một hợp tác xã chè",
                    ),
                ],
                (KTS, KHCN),
                "Văn phòng UBND tỉnh",
            ),
            Article(
                "boi-duong-ky-nang-so-cho-can-bo-cap-xa-vung-cao",
                "Bồi dưỡng kỹ năng số cho cán bộ cấp xã vùng cao",
                "Các lớp bồi dưỡng tập trung vào ký số, dịch vụ công trực tuyến và hướng dẫn người dân dùng VNeID.",
                (2026, 6, 9, 8, 30),
                "tap-huan",
                "Cán bộ cấp xã tham gia lớp bồi dưỡng kỹ năng số",
                [
                    p(
                        "Năm 2026, tỉnh Lai Châu tổ chức các lớp bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã, "
                        "ưu tiên các xã vùng cao, biên giới.",
                    ),
                    h("Học để hướng dẫn lại người dân"),
                    p(
                        "Sau khóa học, mỗi học viên có nhiệm vụ hướng dẫn lại cho Tổ công nghệ số cộng đồng ở thôn, "
                        "bản, bằng cả tiếng phổ thông và tiếng dân tộc khi cần.",
                    ),
                    quote(
                        "Cán bộ thạo việc trên máy thì bà con mới tin và làm theo.",
                        "Một học viên lớp bồi dưỡng",
                    ),
                ],
                (BDHVS, CQS),
                "Văn phòng UBND tỉnh",
            ),
        ],
        infographics=[
            Infographic(
                "lai-chau-dieu-hanh-tren-moi-truong-so",
                "Lai Châu: điều hành trên môi trường số",
                "Văn bản ký số, họp không giấy và họp trực tuyến tới cấp xã năm 2025.",
                (2025, 12, 29, 9, 0),
                [
                    Panel(
                        "ig-laichau-dieu-hanh-so.png",
                        "Lai Châu: điều hành trên môi trường số",
                        "Bốn con số lớn về văn bản ký số, họp không giấy, điểm cầu trực tuyến và thời gian xử lý văn "
                        "bản",
                        "Lai Châu: điều hành trên môi trường số. Văn phòng UBND tỉnh, năm 2025.\n"
                        "99,2%: văn bản đi được ký số.\n"
                        "100%: phiên họp UBND tỉnh dùng hệ thống họp không giấy.\n"
                        "35: điểm cầu họp trực tuyến kết nối tới cấp xã.\n"
                        "4,5 giờ: thời gian trung bình để trình, ký và phát hành một văn bản.\n" + DEMO_FIGURES,
                    )
                ],
                (CQS, CDS),
            ),
            Infographic(
                "lai-chau-dich-vu-cong-truc-tuyen-6-thang-dau-nam-2026",
                "Lai Châu: dịch vụ công trực tuyến 6 tháng đầu năm 2026",
                "Số hồ sơ trực tuyến tăng đều qua từng tháng; người dân hài lòng với chất lượng phục vụ.",
                (2026, 7, 7, 9, 0),
                [
                    Panel(
                        "ig-laichau-dvc-1.png",
                        "Hồ sơ trực tuyến theo tháng tại Lai Châu, 6 tháng đầu năm 2026",
                        "Biểu đồ thanh ngang: hồ sơ trực tuyến mỗi tháng tăng từ 6.100 lên 9.600",
                        "Lai Châu: dịch vụ công trực tuyến 6 tháng đầu năm 2026. Số hồ sơ trực tuyến tiếp nhận mỗi "
                        "tháng.\n"
                        "Tháng 1: 6.100.\nTháng 2: 5.200.\nTháng 3: 7.400.\nTháng 4: 8.150.\nTháng 5: 8.900.\n"
                        "Tháng 6: 9.600.\n" + DEMO_FIGURES,
                        "Hồ sơ theo tháng",
                    ),
                    Panel(
                        "ig-laichau-dvc-2.png",
                        "Chất lượng dịch vụ công trực tuyến tại Lai Châu, 6 tháng đầu năm 2026",
                        "Ba con số lớn về hồ sơ đúng hạn, mức hài lòng và thanh toán trực tuyến",
                        "Lai Châu: chất lượng phục vụ người dân, doanh nghiệp, 6 tháng đầu năm 2026.\n"
                        "95,8%: hồ sơ giải quyết đúng và trước hạn.\n"
                        "91%: người dân hài lòng khi đánh giá trên hệ thống.\n"
                        "68%: hồ sơ thanh toán phí, lệ phí trực tuyến.\n" + DEMO_FIGURES,
                        "Chất lượng phục vụ",
                    ),
                ],
                (CQS, KTS),
            ),
        ],
        videos=[
            VideoItem(
                "video-lai-chau-hanh-dong-vi-nghi-quyet-57",
                "Lai Châu hành động vì Nghị quyết 57-NQ/TW",
                "Hội nghị triển khai, hạ tầng số và ứng dụng khoa học, công nghệ vào sản xuất.",
                (2025, 3, 12, 17, 0),
                "hoi-nghi",
                (KHCN, DMST, CDS),
            ),
            VideoItem(
                "video-to-cong-nghe-so-cong-dong-vung-cao",
                "Tổ công nghệ số cộng đồng vùng cao",
                "Hướng dẫn người dân nộp hồ sơ trực tuyến và thanh toán bằng mã QR.",
                (2026, 6, 20, 17, 0),
                "hoc-vu-so",
                (BDHVS, XHS),
            ),
        ],
    ),
}


def vietnam_time(parts):
    return datetime(*parts, tzinfo=vietnam_zone())


def ensure_topics():
    """The topics editors tag with; matched by slug so renamed topics are left alone."""
    topics, created = {}, 0
    for slug, name, short_name in TOPICS:
        topic = Topic.objects.filter(slug=slug).first() or Topic.objects.filter(name=name).first()
        if topic is None:
            topic = Topic.objects.create(slug=slug, name=name, short_name=short_name)
            created += 1
        topics[slug] = topic
    return topics, created


class Loader:
    """Adds one agency's demo content, finding what a previous run made (pages by slug, files by title)."""

    def __init__(self, setup, topics):
        self.section = setup.section
        self.collection = setup.collection
        self.topics = topics
        self.created = Counter()

    def image(self, filename, title, description=""):
        Image = get_image_model()
        existing = Image.objects.filter(collection=self.collection, title=title).first()
        if existing:
            return existing
        with open(MEDIA_DIR / filename, "rb") as handle:
            image = Image(title=title, description=description[:255], collection=self.collection)
            image.file = File(handle, name=filename)
            image._set_image_file_metadata()
            image.save()
        self.created["images"] += 1
        return image

    def document(self, filename, title):
        Document = get_document_model()
        existing = Document.objects.filter(collection=self.collection, title=title).first()
        if existing:
            return existing
        with open(MEDIA_DIR / filename, "rb") as handle:
            document = Document(title=title, collection=self.collection)
            document.file = File(handle, name=filename)
            document._set_document_file_metadata()
            document.save()
        self.created["documents"] += 1
        return document

    def photo(self, key):
        photo = PHOTOS[key]
        return self.image(photo.file, photo.title, photo.description)

    def exists(self, slug):
        return Page.objects.child_of(self.section).filter(slug=slug).exists()

    def add(self, page, topics, live=True):
        page.topics = [self.topics[slug] for slug in topics]
        if live:
            # Keeps the demo's publication order realistic instead of "all published today".
            page.first_published_at = page.date
        else:
            page.live = False
        self.section.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        self.created["pages"] += 1
        return page

    def body(self, blocks):
        stream = []
        for kind, value in blocks:
            if kind == "image":
                photo = PHOTOS[value["photo"]]
                image = self.photo(value["photo"])
                value = {"image": image.pk, "alt_text": photo.description, "caption": value["caption"]}
            elif kind == "table":
                value = {
                    "data": value["rows"],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": value["caption"],
                }
            stream.append({"type": kind, "value": value})
        return stream

    def article(self, item):
        if self.exists(item.slug):
            return
        page = ArticlePage(
            title=item.title,
            slug=item.slug,
            lead=item.lead,
            date=vietnam_time(item.date),
            hero_image=self.photo(item.photo),
            hero_caption=item.hero_caption,
            body=self.body(item.body),
            author=item.author,
            source_name=self.section.get_parent().title,
        )
        self.add(page, item.topics, live=not item.draft)

    def infographic(self, item):
        if self.exists(item.slug):
            return
        page = InfographicPage(title=item.title, slug=item.slug, lead=item.lead, date=vietnam_time(item.date))
        page.images = [
            InfographicImage(
                image=self.image(panel.file, panel.title, panel.alt_text),
                alt_text=panel.alt_text,
                long_description=panel.long_description,
                caption=panel.caption,
            )
            for panel in item.panels
        ]
        self.add(page, item.topics)

    def video(self, item):
        if self.exists(item.slug):
            return
        video = VIDEOS[item.video]
        page = VideoPage(
            title=item.title,
            slug=item.slug,
            lead=item.lead,
            date=vietnam_time(item.date),
            video_file=self.document(video.file, video.title),
            poster=self.image(video.poster, f"{video.title} (ảnh đại diện)"),
            transcript=video.transcript,
        )
        self.add(page, item.topics)


@transaction.atomic
def load_content(setups):
    """Topics and every demo site's content; returns what was created, by kind."""
    topics, created_topics = ensure_topics()
    created = Counter(topics=created_topics)
    for slug, content in CONTENT.items():
        loader = Loader(setups[slug], topics)
        for article in content.articles:
            loader.article(article)
        for infographic in content.infographics:
            loader.infographic(infographic)
        for video in content.videos:
            loader.video(video)
        created.update(loader.created)
    return created
