"""SQLite's full-text search ranked in one pass (see RankedInOnePass); imported only where SQLite is the
database, as modelsearch's SQLite module needs its SQLite-only models."""

from django.db import models
from django.db.models import CharField, Func, IntegerField, Value
from django.db.models.functions import Cast, Concat
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.query import MatchAll, Not


class RankedInOnePass(sqlite.SQLiteSearchQueryCompiler):
    """SQLite's relevance ranking, with each match scored once.

    modelsearch orders the results by a correlated subquery that runs the whole full-text MATCH again for
    every matching row: 0.83 s for the 504 pages that match "time" in the bench data, and quadratic as the site
    grows. This reads every match's score in one pass over the index (5 ms there), keeps the keys the
    searched queryset allows (a second query) and orders the requested slice by position."""

    def search(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        integer_keys = isinstance(self.queryset.model._meta.pk, (models.AutoField, models.IntegerField))
        if (
            not self.order_by_relevance
            or score_field is not None
            or isinstance(query, (MatchAll, Not))
            or not integer_keys  # the position below is found by the key's digits
        ):
            return super().search(config, start, stop, score_field)
        matches = (
            sqlite.SQLiteFTSIndexEntry.objects.filter(
                MatchExpression(
                    self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
                )
            )
            .filter(index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model))
            .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
        )
        pk = self.queryset.model._meta.pk
        allowed = set(
            self.queryset.filter(pk__in=matches.values("index_entry__object_id")).values_list("pk", flat=True)
        )
        scored = {}  # each object once, with its score
        for object_id, score in matches.values_list("index_entry__object_id", "score"):
            if (key := pk.to_python(object_id)) in allowed:
                scored[key] = score
        # modelsearch's order: best first (bm25 is lower for better matches), then the newest key
        ranked = sorted(sorted(scored, reverse=True), key=scored.__getitem__)
        ranked = ranked[start:stop]
        if not ranked:
            return self.queryset.none()
        # the position of ",key," in ",k1,k2,...,": one expression (a CASE of 200 WHENs cost 30 ms to build)
        keys = Value(",{},".format(",".join(map(str, ranked))))
        key = Concat(Value(","), Cast("pk", output_field=CharField()), Value(","))
        position = Func(keys, key, function="instr", output_field=IntegerField())
        return self.queryset.filter(pk__in=ranked).order_by(position)
