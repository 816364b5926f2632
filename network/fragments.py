"""Rendered fragments in the cache, for the parts of a page that are the same for everyone in an audience.

Rendering the directory's 24 cards or the catalogue's 12 cards with their facets costs most of those pages'
time (bench/hotspots.py: 70-85% in Django's template engine). The cards depend on the data, the filters and
the viewer's audience (who may see what), never on the person, so one rendering serves every viewer in that
audience until the data changes.

Each kind of data has a version number in the cache (`bump("pages")` on any publish, unpublish, move,
deletion or restriction change; `bump("members")` on any profile change). A fragment's key holds the
versions it depends on, so a change makes every older fragment unreachable at once and they expire on
their own: nothing is ever deleted by pattern, and two processes can never disagree about what is current.

Privacy: the key must name everything that decides what the fragment shows. Callers pass the audience
explicitly (`audience=`); a fragment is never keyed on less than the viewer's access.
"""

import hashlib
import re
import time
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 60 * 60  # versions make stale fragments unreachable; this only frees the memory
VERSION_KEY = "fragments:version:{}"


def version(name: str) -> int:
    """The current number of a kind of data ("pages") or of one object's ("post:12"). An object's version
    expires when the fragments under it have (its name is reachable from any address, such as a post's
    number: kept for ever, guessed numbers would fill the cache); a fresh number then outdates the old."""
    key = VERSION_KEY.format(name)
    current = cache.get(key)
    if current is None:
        cache.add(key, _fresh(), 2 * TIMEOUT if ":" in name else None)
        current = cache.get(key, 0)
    return current


def _fresh() -> int:
    """A starting number above any this version had before it left the cache (evicted, or a restart of a
    per-process cache): the clock in microseconds, which bumps (+1 each) never catch up with."""
    return time.time_ns() // 1000


def bump(*names: str) -> None:
    """Make every fragment that depends on `names` stale: now, and again when the current transaction
    commits. (A request reading between the first bump and the commit still sees the old rows and could
    keep them under the new number; the second bump makes that copy unreachable.)"""
    _bump(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(names))


def _bump(names) -> None:
    for name in names:
        key = VERSION_KEY.format(name)
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (evicted, or never read): a fresh number outdates the old
            cache.add(key, _fresh(), 2 * TIMEOUT if ":" in name else None)


def fragment(
    name: str, *, depends_on: Iterable[str], audience: object, vary: object, build: Callable[[], object]
):
    """`build()`'s result for this name, data versions, audience and variation (filters, page number), from
    the cache when it is there. `build` must return something picklable (a rendered string, a small dict);
    None is not kept (an address that finds nothing must not fill the cache)."""
    key = _key(name, depends_on, audience, vary)
    found = cache.get(key)
    if found is None:
        found = build()
        if found is not None:
            cache.set(key, found, TIMEOUT)
    return found


def kept_response(name: str, *, depends_on: Iterable[str], audience: object, vary: object, respond: Callable):
    """`respond()`'s response, kept as its body and headers like any fragment: for whole documents that are
    the same for everyone in an audience, such as feeds, which readers poll. Only a 200 is kept."""
    from django.http import HttpResponse

    key = _key(name, depends_on, audience, vary)
    kept = cache.get(key)
    if kept is None:
        response = respond()
        if response.status_code == 200 and not response.streaming:
            cache.set(key, {"content": response.content, "headers": dict(response.headers)}, TIMEOUT)
        return response
    response = HttpResponse(kept["content"])
    for header, value in kept["headers"].items():
        response[header] = value
    return response


def fragment_key(name: str, *, depends_on: Iterable[str], audience: object, vary: object) -> str:
    """The cache key `fragment()` and `kept_response()` read for these arguments (for `prefetch`)."""
    return _key(name, depends_on, audience, vary)


def version_key(name: str) -> str:
    """The cache key `version(name)` reads (for `prefetch`)."""
    return VERSION_KEY.format(name)


def prefetch(*keys: str) -> None:
    """Read these cache keys (`fragment_key()`s, `version_key()`s, any other) in one round trip
    into the request's memory (cms.cache.MemoRedisCache), so that reading them next costs nothing: a page
    that needs a version before it can name its fragments makes two round trips instead of one per key.
    With a cache that cannot (local memory), or outside a request, it does nothing; nothing changes but the
    number of round trips, since each read still goes through the cache."""
    prefetch_many = getattr(cache, "prefetch", None)
    if prefetch_many is not None and keys:
        prefetch_many([(key, None) for key in keys])


def _key(name: str, depends_on: Iterable[str], audience: object, vary: object) -> str:
    versions = tuple(version(dependency) for dependency in depends_on)
    digest = hashlib.sha256(repr((versions, audience, vary)).encode()).hexdigest()[:32]
    return f"fragments:{name}:{digest}"


# -- forms nobody has typed into yet -------------------------------------------------------------------

KEY_STAND_IN = "00000000-0000-4000-8000-000000000000"  # a submission key's place in a kept rendering
VALUE_STAND_IN = "00000000-0000-4000-8001-{:012d}"  # a shown value's place in a kept rendering
_STAND_IN = re.compile(r"00000000-0000-4000-800[01]-\d{12}")
_STATIC_FORMS: dict[tuple, str] = {}


def blank_form_key(name: str, *, depends_on: Iterable[str], values: Iterable[str] = ()) -> str:
    """The cache key `blank_form()` reads for a form kept per data version (for `prefetch`); `values`: the
    names of the fields it fills."""
    stand_ins = tuple(VALUE_STAND_IN.format(n) for n, _field in enumerate(sorted(values)))
    return fragment_key(**_blank_form_names(name, tuple(depends_on), stand_ins))


def _blank_form_names(name: str, depends_on: tuple, stand_ins: tuple) -> dict:
    from django.utils.translation import get_language

    return {
        "name": f"form:{name}",
        "depends_on": depends_on,
        "audience": None,
        "vary": (get_language(), stand_ins),
    }


def blank_form(
    name: str,
    make_form: Callable[[dict], object],
    *,
    depends_on: Iterable[str] = (),
    values: dict[str, str] | None = None,
) -> str:
    """The fields of a form nobody has typed into yet (network/includes/_form_fields.html): Django renders
    each widget from a template, the most of a form page's time, so the fields are rendered once per
    language (and data version, for choices read from the database: `depends_on`) and each copy gets a
    fresh submission key. `make_form(initial)` builds the unbound form with the given initial values.

    `values`: what some text fields show (an edit form: what was written before). The kept rendering holds
    a stand-in in each one's place, replaced in each copy by the value escaped as Django escapes a widget's
    value, in one pass, so nothing a value contains (a stand-in's text included) is ever replaced in turn."""
    from django.template.loader import render_to_string
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    values = values or {}
    stand_ins = {field: VALUE_STAND_IN.format(n) for n, field in enumerate(sorted(values))}

    def build() -> str:
        form = make_form({"submission_key": KEY_STAND_IN, **stand_ins})
        return render_to_string("network/includes/_form_fields.html", {"form": form})

    language = get_language()
    depends_on = tuple(depends_on)
    if depends_on:
        html = fragment(**_blank_form_names(name, depends_on, tuple(stand_ins)), build=build)
    else:  # nothing it shows can change while this process runs: kept in its memory
        html = _STATIC_FORMS.get((name, language, tuple(stand_ins)))
        if html is None:
            html = _STATIC_FORMS[(name, language, tuple(stand_ins))] = build()
    fills = {KEY_STAND_IN: str(uuid.uuid4())}
    fills.update({stand_ins[field]: conditional_escape(str(value)) for field, value in values.items()})
    filled = _STAND_IN.sub(lambda match: fills.get(match.group(0), match.group(0)), html)
    return mark_safe(filled)  # noqa: S308 - our template's output, with escaped values
