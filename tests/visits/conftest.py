"""Visits go to exemplar pages: the catalogue's fixtures build them."""

from tests.cms.conftest import catalogue, make_exemplar, restrict_to_members, sectors  # noqa: F401
