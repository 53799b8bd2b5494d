from .agencies import Agency, AgencyLevel, Topic
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
    "AgencyLevel",
    "ArticlePage",
    "HomePage",
    "InfographicImage",
    "InfographicPage",
    "SectionPage",
    "Topic",
    "VideoPage",
]
