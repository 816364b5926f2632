"""The site's models: Wagtail page types, the image model, and the snippets exemplars use."""

from .exemplars import ExemplarIndexPage, ExemplarPage, ExemplarRelated, ExemplarReport, Sector
from .images import SiteImage, SiteRendition
from .pages import HomePage, HomePageFeatured, StandardPage

__all__ = [
    "ExemplarIndexPage",
    "ExemplarPage",
    "ExemplarRelated",
    "ExemplarReport",
    "HomePage",
    "HomePageFeatured",
    "Sector",
    "SiteImage",
    "SiteRendition",
    "StandardPage",
]
