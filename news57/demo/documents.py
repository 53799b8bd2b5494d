"""The demo's directive documents: the ones the plans cite, each with a small PDF, published on the sites that carry them.

The PDFs are committed under media/documents/ so loading needs no font; after
changing a document's text, draw them again with
`manage.py shell -c "from news57.demo.documents import make_pdfs; make_pdfs()"`.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files import File
from django.db import transaction
from wagtail.documents import get_document_model

from ..document_codes import DocumentCode
from ..models import Agency, DirectiveDocument, DocumentAttachment, LegalStatus, Publication
from ..promptness import calendar as working_calendar
from ..promptness.deadlines import due_at
from ..republishing.actions import publish
from ..text import slugify
from ..vietnam_time import zone as vietnam_zone
from .content import BDHVS, CDS, CQS, DMST, KHCN, MEDIA_DIR, ensure_topics
from .syndication import demo_rule

PDF_DIR = MEDIA_DIR / "documents"
ATTACHMENT_LABEL = "Bản PDF"
DEMO_NOTE = "Bản trình diễn – không phải văn bản gốc"

CENTRAL_SITES = ("trunguong", "langson", "thanhtra-langson", "hoangvanthu", "vpubnd-laichau")
LANGSON_SITES = ("langson", "thanhtra-langson", "hoangvanthu")

# Issuers without a site of their own: whose editors would enter their documents.
ENTERED_BY = {
    "bo-chinh-tri": "trunguong",
    "chinh-phu": "trunguong",
    "thu-tuong": "trunguong",
    "tinhuy-langson": "langson",
    "laichau": "vpubnd-laichau",
}

# Days a site's editors take to carry a document another agency entered; their own go up the next day.
SITE_LAG_DAYS = {"trunguong": 1, "langson": 2, "thanhtra-langson": 3, "hoangvanthu": 4, "vpubnd-laichau": 3}
# The commune was formed on 1 July 2025 (the two-level local government); it carried older documents from then.
SITE_ONLINE_SINCE = {"hoangvanthu": date(2025, 7, 1)}


@dataclass(frozen=True)
class Issuer:
    """How a document's heading names its issuer (Decree 30/2020 for the State, the Party's own rules)."""

    header: tuple
    place: str
    party: bool = False


ISSUERS = {
    "bo-chinh-tri": Issuer(("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"), "Hà Nội", party=True),
    "chinh-phu": Issuer(("CHÍNH PHỦ",), "Hà Nội"),
    "thu-tuong": Issuer(("THỦ TƯỚNG CHÍNH PHỦ",), "Hà Nội"),
    "tinhuy-langson": Issuer(("ĐẢNG BỘ TỈNH LẠNG SƠN", "TỈNH ỦY", "*"), "Lạng Sơn", party=True),
    "langson": Issuer(("ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"), "Lạng Sơn"),
    "thanhtra-langson": Issuer(("UBND TỈNH LẠNG SƠN", "THANH TRA TỈNH"), "Lạng Sơn"),
    "hoangvanthu": Issuer(("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VĂN THỤ"), "Hoàng Văn Thụ"),
    "laichau": Issuer(("ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU"), "Lai Châu"),
    "vpubnd-laichau": Issuer(("UBND TỈNH LAI CHÂU", "VĂN PHÒNG"), "Lai Châu"),
}


@dataclass(frozen=True)
class Directive:
    code: str
    issuer: str
    issued_on: date
    title: str
    summary: str
    signer: str  # the signing block's roles, comma-separated: "TM. Chính phủ, Thủ tướng"
    body: tuple
    topics: tuple
    sites: tuple
    queued_on: tuple = ()  # sites where it waits for an editor
    amends: str = ""  # the code of the document this one amends

    @property
    def entered_by(self):
        return ENTERED_BY.get(self.issuer, self.issuer)

    @property
    def key(self):
        return DocumentCode.parse(self.code).key

    @property
    def filename(self):
        return f"{slugify(self.code)}-{self.issued_on.year}.pdf"

    @property
    def heading(self):
        """The type as the document names itself: "Chương trình hành động" for 150-CTr/TU."""
        return self.title.split(" số ", 1)[0]


NQ57 = "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"
NQ57_ABOUT = "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"

DIRECTIVES = [
    Directive(
        "57-NQ/TW",
        "bo-chinh-tri",
        date(2024, 12, 22),
        f"{NQ57} {NQ57_ABOUT}",
        f"{NQ57_ABOUT.capitalize()}.",
        "T/M Bộ Chính trị, Tổng Bí thư",
        (
            "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia là đột phá quan trọng hàng "
            "đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện quan hệ sản xuất, "
            "đổi mới phương thức quản trị quốc gia.",
            "Nghị quyết xác định mục tiêu đến năm 2030: quy mô kinh tế số đạt tối thiểu 30% GDP; tỷ lệ người dân và "
            "doanh nghiệp sử dụng dịch vụ công trực tuyến trên 80%; kinh phí chi cho nghiên cứu phát triển đạt 2% "
            "GDP.",
            "Các cấp ủy, tổ chức đảng, chính quyền các cấp xây dựng chương trình, kế hoạch hành động cụ thể, bố trí "
            "nguồn lực và định kỳ đánh giá, báo cáo kết quả thực hiện.",
        ),
        (KHCN, DMST, CDS),
        CENTRAL_SITES,
    ),
    Directive(
        "03/NQ-CP",
        "chinh-phu",
        date(2025, 1, 9),
        "Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ ban hành Chương trình hành động của Chính phủ thực "
        f"hiện {NQ57} {NQ57_ABOUT}",
        f"Ban hành Chương trình hành động của Chính phủ thực hiện {NQ57} {NQ57_ABOUT}.",
        "TM. Chính phủ, Thủ tướng",
        (
            "Chương trình hành động cụ thể hóa các nhiệm vụ, giải pháp của Nghị quyết số 57-NQ/TW thành các nhiệm "
            "vụ có sản phẩm, thời hạn hoàn thành và cơ quan chủ trì.",
            "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh, thành phố trực thuộc "
            "trung ương xây dựng, ban hành kế hoạch thực hiện trong phạm vi quản lý của mình.",
            "Định kỳ hằng quý, các cơ quan báo cáo tình hình thực hiện, gửi Bộ Khoa học và Công nghệ tổng hợp, báo "
            "cáo Chính phủ.",
        ),
        (KHCN, DMST, CDS),
        CENTRAL_SITES,
    ),
    Directive(
        "71/NQ-CP",
        "chinh-phu",
        date(2025, 4, 1),
        "Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi, bổ sung, cập nhật Chương trình hành động của "
        f"Chính phủ thực hiện {NQ57} ban hành kèm theo Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ",
        f"Sửa đổi, bổ sung, cập nhật Chương trình hành động của Chính phủ thực hiện {NQ57}, ban hành kèm theo "
        "Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ.",
        "TM. Chính phủ, Thủ tướng",
        (
            "Nghị quyết cập nhật các nhiệm vụ của Chương trình hành động cho phù hợp với yêu cầu mới, bổ sung nhiệm "
            "vụ, làm rõ sản phẩm và thời hạn hoàn thành của từng nhiệm vụ.",
            "Các bộ, ngành, địa phương rà soát, điều chỉnh kế hoạch đã ban hành theo Chương trình hành động được sửa "
            "đổi, bổ sung; bảo đảm nguồn lực thực hiện và báo cáo kết quả theo quy định.",
        ),
        (KHCN, DMST, CDS),
        CENTRAL_SITES,
        amends="03/NQ-CP",
    ),
    Directive(
        "1169/QĐ-TTg",
        "thu-tuong",
        date(2025, 6, 16),
        "Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ phê duyệt Kế hoạch triển khai thực hiện "
        f"{NQ57} {NQ57_ABOUT}",
        f"Phê duyệt Kế hoạch triển khai thực hiện {NQ57} {NQ57_ABOUT}.",
        "KT. Thủ tướng, Phó Thủ tướng",
        (
            "Phê duyệt Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW với các nhiệm vụ, giải pháp trọng tâm, "
            "sản phẩm cần đạt và thời hạn hoàn thành.",
            "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung "
            "ương căn cứ Kế hoạch, xây dựng và ban hành kế hoạch của bộ, ngành, địa phương mình.",
            "Quyết định có hiệu lực kể từ ngày ký ban hành.",
        ),
        (KHCN, CDS, CQS),
        CENTRAL_SITES,
    ),
    Directive(
        "150-CTr/TU",
        "tinhuy-langson",
        date(2025, 2, 20),
        "Chương trình hành động số 150-CTr/TU ngày 20/02/2025 của Ban Thường vụ Tỉnh ủy Lạng Sơn thực hiện "
        f"{NQ57} {NQ57_ABOUT}",
        f"Thực hiện {NQ57} {NQ57_ABOUT}.",
        "T/M Ban Thường vụ, Bí thư",
        (
            "Chương trình hành động xác định các nhiệm vụ trọng tâm để đưa Nghị quyết số 57-NQ/TW vào cuộc sống trên "
            "địa bàn tỉnh: nâng cao nhận thức, hoàn thiện cơ chế, phát triển hạ tầng số và nguồn nhân lực.",
            "Các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội của tỉnh "
            "quán triệt, xây dựng kế hoạch thực hiện, gắn trách nhiệm người đứng đầu với kết quả chuyển đổi số của "
            "cơ quan, đơn vị.",
            "Ủy ban nhân dân tỉnh xây dựng kế hoạch thực hiện; định kỳ 6 tháng, hằng năm báo cáo Ban Thường vụ Tỉnh "
            "ủy.",
        ),
        (KHCN, DMST, CDS),
        LANGSON_SITES,
    ),
    Directive(
        "56/KH-UBND",
        "langson",
        date(2025, 2, 21),
        f"Kế hoạch số 56/KH-UBND ngày 21/02/2025 của UBND tỉnh Lạng Sơn thực hiện {NQ57}, Nghị quyết số "
        "03/NQ-CP ngày 09/01/2025 của Chính phủ và Chương trình hành động số 150-CTr/TU ngày 20/02/2025 của Ban "
        f"Thường vụ Tỉnh ủy {NQ57_ABOUT}",
        "Cụ thể hóa các nhiệm vụ của tỉnh thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị, Nghị quyết số "
        "03/NQ-CP của Chính phủ và Chương trình hành động số 150-CTr/TU của Ban Thường vụ Tỉnh ủy.",
        "TM. Ủy ban nhân dân, Chủ tịch",
        (
            "Kế hoạch cụ thể hóa các nhiệm vụ của tỉnh thành danh mục nhiệm vụ có cơ quan chủ trì, cơ quan phối "
            "hợp, sản phẩm và thời hạn hoàn thành.",
            "Các sở, ban, ngành, Ủy ban nhân dân các huyện, thành phố chủ động xây dựng kế hoạch của cơ quan, đơn vị "
            "mình; công khai kết quả thực hiện trên cổng, trang thông tin điện tử.",
            "Sở Khoa học và Công nghệ là cơ quan thường trực, theo dõi, đôn đốc, tổng hợp, báo cáo Ủy ban nhân dân "
            "tỉnh định kỳ hằng quý.",
        ),
        (KHCN, DMST, CDS),
        LANGSON_SITES,
    ),
    Directive(
        "211/KH-UBND",
        "langson",
        date(2025, 8, 12),
        "Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn thực hiện Quyết định số 1169/QĐ-TTg ngày "
        "16/6/2025 của Thủ tướng Chính phủ",
        "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ phê duyệt Kế hoạch triển khai "
        "thực hiện Nghị quyết số 57-NQ/TW trên địa bàn tỉnh Lạng Sơn.",
        "KT. Chủ tịch, Phó Chủ tịch",
        (
            "Kế hoạch phân công các sở, ngành và Ủy ban nhân dân các xã, phường triển khai các nhiệm vụ được giao "
            "tại Quyết định số 1169/QĐ-TTg, bảo đảm đúng tiến độ và hiệu quả.",
            "Ủy ban nhân dân các xã, phường ban hành kế hoạch của địa phương, bố trí cán bộ đầu mối và công khai kết "
            "quả trên chuyên mục Nghị quyết 57 của trang thông tin điện tử.",
            "Các cơ quan, đơn vị báo cáo kết quả thực hiện trước ngày 15 của tháng cuối quý, gửi Sở Khoa học và Công "
            "nghệ tổng hợp.",
        ),
        (CDS, CQS),
        LANGSON_SITES,
        queued_on=("hoangvanthu",),
    ),
    Directive(
        "262/KH-TTr",
        "thanhtra-langson",
        date(2025, 8, 26),
        "Kế hoạch số 262/KH-TTr ngày 26/8/2025 của Thanh tra tỉnh Lạng Sơn thực hiện Kế hoạch số 211/KH-UBND ngày "
        "12/8/2025 của UBND tỉnh Lạng Sơn về triển khai Nghị quyết số 57-NQ/TW trong ngành thanh tra",
        "Triển khai tại Thanh tra tỉnh các nhiệm vụ khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số theo Kế "
        "hoạch số 211/KH-UBND của UBND tỉnh.",
        "Chánh Thanh tra",
        (
            "Thanh tra tỉnh số hóa hồ sơ tiếp công dân, xử lý đơn thư, khiếu nại, tố cáo; khai thác hệ thống quản lý "
            "đơn thư dùng chung để theo dõi tiến độ giải quyết.",
            "Công chức, người lao động của cơ quan tham gia bồi dưỡng kỹ năng số; mỗi phòng nghiệp vụ cử đầu mối "
            "theo dõi việc thực hiện.",
            "Văn phòng Thanh tra tỉnh tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh theo định kỳ.",
        ),
        (CQS, CDS),
        ("thanhtra-langson",),
    ),
    Directive(
        "33/KH-UBND",
        "hoangvanthu",
        date(2025, 7, 18),
        f"Kế hoạch số 33/KH-UBND ngày 18/7/2025 của UBND xã Hoàng Văn Thụ thực hiện {NQ57} {NQ57_ABOUT} trên địa "
        "bàn xã",
        "Triển khai trên địa bàn xã các nhiệm vụ thực hiện Nghị quyết số 57-NQ/TW, trọng tâm là chính quyền số và "
        "phong trào Bình dân học vụ số.",
        "TM. Ủy ban nhân dân, Chủ tịch",
        (
            "Ủy ban nhân dân xã đẩy mạnh tiếp nhận, giải quyết thủ tục hành chính trực tuyến tại Bộ phận Một cửa; "
            "hướng dẫn người dân kích hoạt tài khoản định danh điện tử và nộp hồ sơ trên Cổng Dịch vụ công quốc gia.",
            "Tổ công nghệ số cộng đồng ở các thôn tổ chức lớp Bình dân học vụ số, hướng dẫn người dân thanh toán "
            "không dùng tiền mặt và nhận diện lừa đảo trực tuyến.",
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã theo dõi, tổng hợp kết quả, báo cáo Ủy ban nhân dân "
            "tỉnh theo quy định.",
        ),
        (CQS, BDHVS, CDS),
        ("hoangvanthu",),
    ),
    Directive(
        "2653/KH-UBND",
        "laichau",
        date(2025, 7, 10),
        "Kế hoạch số 2653/KH-UBND ngày 10/7/2025 của UBND tỉnh Lai Châu thực hiện Quyết định số 1169/QĐ-TTg ngày "
        "16/6/2025 của Thủ tướng Chính phủ",
        "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ về triển khai Nghị quyết số "
        "57-NQ/TW trên địa bàn tỉnh Lai Châu.",
        "KT. Chủ tịch, Phó Chủ tịch",
        (
            "Kế hoạch giao nhiệm vụ cho các sở, ban, ngành và Ủy ban nhân dân các xã, phường, gắn với điều kiện của "
            "tỉnh miền núi, biên giới: phát triển hạ tầng số đến thôn, bản và đào tạo kỹ năng số cho người dân.",
            "Văn phòng Ủy ban nhân dân tỉnh chủ trì vận hành Trung tâm điều hành số, theo dõi chỉ tiêu và công khai "
            "kết quả trên Cổng thông tin điện tử tỉnh.",
            "Các cơ quan, đơn vị báo cáo kết quả thực hiện định kỳ hằng quý.",
        ),
        (CDS, CQS),
        ("vpubnd-laichau",),
    ),
    Directive(
        "618/KH-VPUBND",
        "vpubnd-laichau",
        date(2025, 7, 22),
        "Kế hoạch số 618/KH-VPUBND ngày 22/7/2025 của Văn phòng UBND tỉnh Lai Châu thực hiện Kế hoạch số "
        "2653/KH-UBND ngày 10/7/2025 của UBND tỉnh Lai Châu",
        "Triển khai tại Văn phòng UBND tỉnh các nhiệm vụ được giao tại Kế hoạch số 2653/KH-UBND về thực hiện Nghị "
        "quyết số 57-NQ/TW.",
        "Chánh Văn phòng",
        (
            "Văn phòng Ủy ban nhân dân tỉnh vận hành Trung tâm điều hành số, hệ thống quản lý văn bản và điều hành, "
            "bảo đảm văn bản điện tử được ký số và gửi, nhận trên môi trường mạng.",
            "Các phòng, đơn vị thuộc Văn phòng phân công đầu mối, cập nhật kịp thời văn bản chỉ đạo và tin hoạt động "
            "lên chuyên mục Nghị quyết 57.",
        ),
        (CQS, CDS),
        ("vpubnd-laichau",),
    ),
]


def obligated_at(item):
    """The obligation to carry a document begins with its issue, at the start of that working day."""
    return datetime.combine(item.issued_on, time(8, 0), tzinfo=vietnam_zone())


def published_at(item, site_slug):
    """A plausible time the site's editors put it up: their own the next working day, others' a little later."""
    days = 1 if site_slug == item.entered_by else SITE_LAG_DAYS[site_slug]
    start = max(item.issued_on, SITE_ONLINE_SINCE.get(site_slug, item.issued_on))
    day = start + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    # Spread over the morning so that one site's documents of the same day do not share a minute.
    minutes = 37 * item.sites.index(site_slug) + 13 * DIRECTIVES.index(item)
    return datetime.combine(day, time(8, 30), tzinfo=vietnam_zone()) + timedelta(minutes=minutes)


class DirectiveLoader:
    """Adds the demo's documents, finding what a previous run made (documents by identity, files by title)."""

    def __init__(self, setups):
        self.setups = setups
        self.agencies = {agency.slug: agency for agency in Agency.objects.all()}
        self.topics, _created = ensure_topics()
        self.calendar = working_calendar.load()
        self.created = Counter()

    def editor(self, slug):
        """The site's first editor account, if the demo's accounts exist, so the audit log names a person."""
        group = self.agencies[slug].editors
        return group.user_set.order_by("pk").first() if group else None

    def document(self, item):
        issuer = self.agencies[item.issuer]
        document = DirectiveDocument.objects.filter(code_key=item.key, year=item.issued_on.year, issuer=issuer).first()
        if document is not None:
            return document, False
        document = DirectiveDocument(
            code=item.code,
            issuer=issuer,
            entered_by=self.agencies[item.entered_by],
            title=item.title,
            summary=item.summary,
            issued_on=item.issued_on,
            effective_on=item.issued_on,
            signer=item.signer,
            body="".join(f"<p>{paragraph}</p>" for paragraph in item.body),
        )
        document.topics = [self.topics[slug] for slug in item.topics]
        document.save()
        document.save_revision()
        self.created["directives"] += 1
        return document, True

    def pdf(self, item):
        Document = get_document_model()
        collection = self.setups[item.entered_by].collection
        title = f"{item.heading} số {item.code} – {ATTACHMENT_LABEL}"
        existing = Document.objects.filter(collection=collection, title=title).first()
        if existing:
            return existing
        with open(PDF_DIR / item.filename, "rb") as handle:
            pdf = Document(title=title, collection=collection)
            pdf.file = File(handle, name=item.filename)
            pdf._set_document_file_metadata()
            pdf.save()
        self.created["documents"] += 1
        return pdf

    def attach(self, document, item):
        if document.attachments.exists():
            return
        DocumentAttachment(
            document=document, file=self.pdf(item), label=ATTACHMENT_LABEL, is_signed=True, sort_order=0
        ).save()

    def publications(self, document, item):
        rule = demo_rule()
        start = obligated_at(item)
        obligation = {"obligated_at": start, "due_at": due_at(rule.unit, rule.amount, start, self.calendar), **rule.terms}
        for slug in item.sites:
            site = self.agencies[slug].site
            publication, created = Publication.objects.get_or_create(document=document, site=site, defaults=obligation)
            if not created:
                continue
            self.created["publications"] += 1
            if slug not in item.queued_on:
                publish(publication, self.editor(slug), at=published_at(item, slug))

    def amendments(self, documents, new):
        """Link an amendment to what it amends when either was added now; an editor's later change stays."""
        for item in DIRECTIVES:
            if not item.amends:
                continue
            amended = documents[item.amends]
            if item.code in new or item.amends in new:
                amended.amended_by.add(documents[item.code])
                amended.legal_status = LegalStatus.AMENDED
                amended.save()


@transaction.atomic
def load_directives(setups):
    """The cited documents, their PDFs and publications; returns what was created, by kind."""
    loader = DirectiveLoader(setups)
    documents, new = {}, set()
    for item in DIRECTIVES:
        document, created = loader.document(item)
        documents[item.code] = document
        if created:
            new.add(item.code)
        loader.attach(document, item)
        loader.publications(document, item)
    loader.amendments(documents, new)
    return loader.created


FONT_DIR = "/usr/share/fonts/truetype/dejavu"
DPI = 200
SCALE = DPI / 100  # the layout below is in pixels at 100 dpi


def u(pixels):
    """A length of the 100-dpi layout at DPI."""
    return round(pixels * SCALE)


A4 = (u(827), u(1169))  # 210 × 297 mm


def make_pdfs(directory=PDF_DIR, font_dir=FONT_DIR):
    """Draw every demo document's PDF into directory (needs a font with Vietnamese; DejaVu Serif by default).

    Black and white, so Pillow stores the page with CCITT G4: a page of text in about 30 KB.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for item in DIRECTIVES:
        page = PdfPage(font_dir).draw(item).point(lambda value: 255 if value > 150 else 0, mode="1")
        page.save(directory / item.filename, "PDF", resolution=DPI, title=item.title)


class PdfPage:
    """One A4 page laid out like a Vietnamese administrative document (Decree 30/2020, appendix I)."""

    LEFT, RIGHT, TOP = u(118), u(70), u(95)  # margins of 30, 18 and 24 mm

    def __init__(self, font_dir):
        from PIL import ImageFont

        def font(name, size):
            return ImageFont.truetype(f"{font_dir}/{name}.ttf", u(size))

        self.fonts = {
            "regular": font("DejaVuSerif", 17),
            "bold": font("DejaVuSerif-Bold", 17),
            "italic": font("DejaVuSerif-Italic", 17),
            "small": font("DejaVuSerif", 14),
            "small-bold": font("DejaVuSerif-Bold", 14),
            "note": font("DejaVuSans-Bold", 15),
            "head": font("DejaVuSerifCondensed", 15),
            "head-bold": font("DejaVuSerifCondensed-Bold", 15),
            "head-italic": font("DejaVuSerifCondensed-Italic", 15),
        }

    def draw(self, item):
        from PIL import Image, ImageDraw

        self.image = Image.new("L", A4, 255)
        self.pen = ImageDraw.Draw(self.image)
        self.demo_note()
        y = self.header(item)
        y = self.centred([item.heading.upper()], "bold", y + u(40))
        y = self.wrapped(item.summary.rstrip("."), "bold", y + u(4), centred=True, width=u(560))
        self.pen.line((A4[0] / 2 - u(60), y + u(6), A4[0] / 2 + u(60), y + u(6)), fill=0, width=u(1))
        y += u(30)
        for paragraph in item.body:
            y = self.wrapped(paragraph, "regular", y, indent=u(36)) + u(10)
        self.signature(item, y + u(20))
        return self.image

    def demo_note(self):
        font = self.fonts["note"]
        width = self.pen.textlength(DEMO_NOTE, font=font)
        x = (A4[0] - width) / 2
        self.pen.rectangle((x - u(14), u(22), x + width + u(14), u(56)), outline=0, width=u(2))
        self.pen.text((x, u(29)), DEMO_NOTE, font=font, fill=0)

    def header(self, item):
        issuer = ISSUERS[item.issuer]
        left_centre, right_centre = self.LEFT + u(105), A4[0] - self.RIGHT - u(195)
        lines = list(issuer.header)
        fonts = ["head"] * (len(lines) - 1) + ["head-bold"]
        if issuer.party:
            fonts = ["head-bold"] * (len(lines) - 1) + ["head"]
        y = self.TOP
        for line, font in zip(lines, fonts):
            y = self.centred([line], font, y, centre=left_centre)
        if not issuer.party:
            self.pen.line((left_centre - u(45), y + u(2), left_centre + u(45), y + u(2)), fill=0, width=u(1))
        number = f"Số {item.code}" if issuer.party else f"Số: {item.code}"
        left_bottom = self.centred([number], "head", y + u(10), centre=left_centre)

        day = item.issued_on
        # Decree 30 pads days below 10 and the months January and February: "ngày 09 tháng 01", "tháng 8".
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        dated = f"{issuer.place}, ngày {day.day:02d} tháng {month} năm {day.year}"
        if issuer.party:
            y = self.centred(["ĐẢNG CỘNG SẢN VIỆT NAM"], "head-bold", self.TOP, centre=right_centre, underline=True)
        else:
            y = self.centred(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "head-bold", self.TOP, centre=right_centre)
            y = self.centred(["Độc lập - Tự do - Hạnh phúc"], "head-bold", y, centre=right_centre, underline=True)
        right_bottom = self.centred([dated], "head-italic", y + u(16), centre=right_centre)
        return max(left_bottom, right_bottom)

    def centred(self, lines, font, y, centre=A4[0] / 2, underline=False):
        face = self.fonts[font]
        for line in lines:
            width = self.pen.textlength(line, font=face)
            self.pen.text((centre - width / 2, y), line, font=face, fill=0)
            y += face.size + u(7)
            if underline:
                self.pen.line((centre - width / 2, y - u(3), centre + width / 2, y - u(3)), fill=0, width=u(1))
        return y

    def wrapped(self, text, font, y, *, centred=False, width=None, indent=0):
        face = self.fonts[font]
        width = width or A4[0] - self.LEFT - self.RIGHT
        lines, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            room = width - (indent if not lines else 0)
            if line and self.pen.textlength(candidate, font=face) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
        if centred:
            return self.centred(lines, font, y)
        for number, line in enumerate(lines):
            self.pen.text((self.LEFT + (indent if number == 0 else 0), y), line, font=face, fill=0)
            y += face.size + u(9)
        return y

    def signature(self, item, y):
        recipients = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
        self.pen.text((self.LEFT, y), recipients[0], font=self.fonts["small-bold"], fill=0)
        for number, line in enumerate(recipients[1:], start=1):
            self.pen.text((self.LEFT, y + u(20) * number), line, font=self.fonts["small"], fill=0)
        centre = A4[0] - self.RIGHT - u(150)
        roles = [role.strip().upper() for role in item.signer.split(",")]
        below = self.centred(roles, "bold", y, centre=centre)
        self.centred(["(Đã ký)"], "italic", below + u(14), centre=centre)
        self.centred([DEMO_NOTE], "small", A4[1] - u(60))
