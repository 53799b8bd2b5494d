from .agencies import Agency, AgencyLevel, Topic
from .documents import (
    DirectiveDocument,
    DocumentAttachment,
    DocumentType,
    LegalStatus,
    Publication,
    PublicationStatus,
    PublishedVia,
)
from .logs import PublicationLogEntry
from .deadlines import CalendarDay, CalendarDayKind, DeadlineClock, DeadlineRule, DeadlineUnit, describe_terms
from .subscriptions import Policy, Subscription
from .report_deadlines import ReportCovers, ReportDeadline, ReportFrequency
from .sources import AttachmentDownload, Carries, DownloadStatus, EntryKind, Source, SourceEntry, SourceLevel
from .pages import (
    ArticlePage,
    HomePage,
    InfographicImage,
    InfographicPage,
    SectionPage,
    VideoPage,
)

__all__ = [
    "Agency",
    "AttachmentDownload",
    "Carries",
    "CalendarDay",
    "CalendarDayKind",
    "DeadlineClock",
    "DeadlineRule",
    "DeadlineUnit",
    "describe_terms",
    "Policy",
    "ReportCovers",
    "ReportDeadline",
    "ReportFrequency",
    "Subscription",
    "DownloadStatus",
    "EntryKind",
    "Source",
    "SourceEntry",
    "SourceLevel",
    "AgencyLevel",
    "ArticlePage",
    "DirectiveDocument",
    "DocumentAttachment",
    "DocumentType",
    "LegalStatus",
    "Publication",
    "PublicationLogEntry",
    "PublicationStatus",
    "PublishedVia",
    "HomePage",
    "InfographicImage",
    "InfographicPage",
    "SectionPage",
    "Topic",
    "VideoPage",
]
