import pytest
from cms.models import ExemplarPage
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_same_order(make_exemplar):
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchQueryCompiler
    from wagtail.search.backends import get_search_backend
    for n in range(12):
        make_exemplar(f"Same {n}", summary="Peer support in Leeds", organisation="X")
    for n in range(6):
        make_exemplar(f"Leeds peer {n}", summary="peer " * n + "support Leeds")
    ours, theirs = get_search_backend(), get_search_backend()
    theirs.query_compiler_class = SQLiteSearchQueryCompiler
    for qs in (ExemplarPage.objects.live(), Page.objects.live().exclude(depth__lte=1)):
        for q, op in [("peer support", "and"), ("leeds", "or"), ("peer leeds", "and"), ("same", "or")]:
            for s, e in [(0, None), (0, 5), (3, 11), (10, 40)]:
                a = [p.pk for p in ours.search(q, qs, operator=op)[s:e]]
                b = [p.pk for p in theirs.search(q, qs, operator=op)[s:e]]
                assert a == b, (q, op, s, e, a, b)
            assert ours.search(q, qs, operator=op).count() == theirs.search(q, qs, operator=op).count()
