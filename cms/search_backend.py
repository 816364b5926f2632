"""Wagtail's database search, fed only queries the database can parse, for every search on the site and in
the admin (documents, images, pages, snippets, choosers).

Wagtail's SQLite backend puts each word between double quotes for FTS5 without escaping the quotes inside
it, so a lone `"` answers a 500; PostgreSQL refuses NUL bytes. Wagtail has no setting for this, and the
admin views build their searches themselves, so the backend is the one place every search passes through.
Cleaning there (rather than catching the database error) keeps the search working: both databases split
words at quotes anyway, so `"board"` still finds the board minutes.
"""

import copy
from functools import cache

from wagtail.search.backends import database
from wagtail.search.query import SearchQuery

from network.search import clean_text


def SearchBackend(params):  # noqa: N802 -- the name Wagtail looks for in a backend module
    """The database backend Wagtail would choose for this database, cleaning every query first."""
    backend = database.SearchBackend(params)  # picks SQLite FTS5, PostgreSQL, MySQL or the fallback
    if type(backend).__module__.endswith(".sqlite"):  # that module only imports where SQLite is the database
        from cms.search_sqlite import RankedInOnePass

        backend.query_compiler_class = RankedInOnePass
    backend.__class__ = _cleaning(type(backend))
    return backend


class CleanQueries:
    """Mixed into the chosen backend class: queries lose control characters and double quotes."""

    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(clean_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(clean_query(query), model_or_queryset, *args, **kwargs)


@cache
def _cleaning(backend_class: type) -> type:
    return type(f"Clean{backend_class.__name__}", (CleanQueries, backend_class), {})


def clean_query(query: str | SearchQuery) -> str | SearchQuery:
    """`query` (a string, or the tree Wagtail parsed from one) with every string in it cleaned; "" (which
    finds nothing) when no word is left."""
    if isinstance(query, str):
        return " ".join(clean_text(query.replace('"', " ")).split())
    query = copy.copy(query)
    if hasattr(query, "query_string"):  # PlainText, Phrase, Fuzzy
        query.query_string = clean_query(query.query_string)
        return query if query.query_string else ""
    if hasattr(query, "subqueries"):  # And, Or
        query.subqueries = [q for q in map(clean_query, query.subqueries) if q != ""]
        return query if query.subqueries else ""
    for name in ("subquery", "subquery_a", "subquery_b"):  # Not, Boost
        if hasattr(query, name):
            setattr(query, name, clean_query(getattr(query, name)))
            if getattr(query, name) == "":
                return ""
    return query  # MatchAll, MatchNone
