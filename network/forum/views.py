"""The forum's pages, all members-only: the index of categories, a category's threads, a thread with its
replies, starting a thread, replying, and the links that find a reply or the first unread one."""

import re
from html import escape

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import fragments
from network.access import member_required, profile_of
from network.models import Profile, may_see_hidden
from network.ratelimit import rate_limited
from network.search import clean_text
from network.services import moderation, notifications

from . import services
from .forms import ReplyForm, ThreadForm
from .models import REPLIES_PER_PAGE, Category, Reply, Thread

THREADS_PER_PAGE = 30


@member_required
def forum_index(request: HttpRequest) -> HttpResponse:
    """The categories with their counts: the same for every member, kept until the forum changes."""
    table = fragments.fragment(
        "forum-index",
        depends_on=["forum"],
        audience="members",
        vary=None,
        build=lambda: render_to_string(
            "network_forum/includes/_categories.html", {"categories": Category.objects.all()}
        ),
    )
    profile = profile_of(request.user)  # a superuser may have none
    key = profile.feed_key if profile else ""  # the one private-feed secret, made on the feed settings page
    feed = request.build_absolute_uri(reverse("network:forum:watched_feed", args=[key])) if key else ""
    try:  # where members make that secret (the blog's page, when the site has the blog)
        settings_page = reverse("network:blog:private_feed_settings")
    except NoReverseMatch:
        settings_page = ""
    return render(
        request,
        "network_forum/index.html",
        {
            "categories_html": mark_safe(table),  # noqa: S308 - our template's output
            "watched_feed": feed,
            "feed_settings": settings_page,
        },
    )


@member_required
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A page of a category's threads, pinned first, then by latest activity. Rendered once per page and
    audience (members, moderators, who also see hidden threads) and kept until the forum or a profile
    changes; what is new to this member is marked afterwards, from how far they have read (kept too)."""
    category = _kept_category(slug)
    moderator = may_see_hidden(request.user)
    # visible threads, kept by the services (moderators also see hidden ones: counted for them)
    count = category.thread_count if not moderator else Thread.objects.filter(category=category).count()
    number = (
        _CountedPaginator(Thread.objects.none(), THREADS_PER_PAGE, count)
        .get_page(request.GET.get("page"))
        .number
    )
    listing_names = {
        "name": "forum-category",
        "depends_on": ["forum", "members"],
        "audience": "moderators" if moderator else "members",
        "vary": (category.pk, number),
    }
    # what follows in one round trip to the cache, not three (network.fragments.prefetch)
    fragments.prefetch(
        fragments.fragment_key(**listing_names),
        notifications.WATCHING_KEY.format(
            request.user.pk, ContentType.objects.get_for_model(Category).pk, category.pk
        ),
        fragments.version_key(services.reader_version(request.user.pk)),
    )

    def build() -> dict:
        threads = (
            Thread.objects.visible_to(request.user)
            .filter(category=category)
            .select_related("author__network_profile", "last_reply__author__network_profile")
            .defer("body", "body_html", "last_reply__body", "last_reply__body_html")
            .order_by("-pinned", "-last_activity_at", "-pk")
        )
        page = _CountedPaginator(threads, THREADS_PER_PAGE, count).get_page(number)
        html = render_to_string("network_forum/includes/_threads.html", {"category": category, "page": page})
        return {
            "html": html,
            "number": page.number,
            "threads": {thread.pk: thread.last_visible_number for thread in page.object_list},
        }

    listing = fragments.fragment(**listing_names, build=build)
    read = services.read_up_to_kept(request.user, listing["threads"], vary=listing_names["vary"])
    return render(
        request,
        "network_forum/category.html",
        {
            "category": category,
            "threads_html": mark_safe(_mark_unread(listing["html"], listing["threads"], read)),  # noqa: S308
            "page_number": listing["number"],
            "may_start": services.may_start_thread(request.user, category),
            "watching": notifications.is_watching(request.user, category),
        },
    )


def _kept_category(slug: str) -> Category:
    """The category with this slug, or a 404: from the forum's categories, kept until the forum changes
    (every change to a category, its counts included, bumps "forum")."""
    categories = fragments.fragment(
        "forum-categories",
        depends_on=["forum"],
        audience=None,
        vary=None,
        build=lambda: {category.slug: category for category in Category.objects.all()},
    )
    category = categories.get(slug)
    if category is None:
        raise Http404
    return category


UNREAD_MARKER = re.compile(r"<!--unread:(\d+)-->")
NEW_TAG = ' <span class="tag tag--new">New<span class="visually-hidden"> thread</span></span>'
UNREAD_TAG = ' <a class="tag tag--new" href="{}">Unread<span class="visually-hidden"> replies: go to the first</span></a>'


def _mark_unread(html: str, threads: dict[int, int], read: dict[int, int]) -> str:
    """A new thread says so; one with replies after what this member read links to the first of them."""
    first_unread = _url_maker("network:forum:first_unread")

    def mark(match: re.Match) -> str:
        pk = int(match.group(1))
        if pk not in read:
            return NEW_TAG
        return UNREAD_TAG.format(first_unread(pk)) if read[pk] < threads.get(pk, 0) else ""

    return UNREAD_MARKER.sub(mark, html)


def _url_maker(name: str):
    """A function making `name`'s address for a key, from one reverse() with a stand-in key."""
    stand_in = "2147483647"
    pattern = reverse(name, args=[stand_in])
    return lambda pk: pattern.replace(stand_in, str(pk))


class _CountedPaginator(Paginator):
    """A paginator told its count (a count the services keep), so a page costs no COUNT(*) of every row."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:
        return self._known


def _thread_for(request: HttpRequest, pk: int) -> Thread:
    """The thread, if the viewer may read it: from the cache while nothing in the forum or any profile
    changed (a thread's page is read far more often than written to); who may read it is decided here, on
    every request, from the kept fields."""
    thread = _kept_thread(pk)
    if thread is None or not thread.is_visible_to(request.user):
        raise Http404
    return thread


def _kept_thread(pk: int) -> Thread | None:
    def build() -> Thread | None:
        private = ["password", "email", "last_login", "network_profile__feed_key"]
        private += [f"network_profile__{name}" for name in ("application_reason", "decision_message")]
        private += ["network_profile__suspension_reason"]
        threads = Thread.objects.select_related("category", "author__network_profile")
        return threads.defer(*(f"author__{name}" for name in private)).filter(pk=pk).first()

    return fragments.fragment(**_kept_thread_names(pk), build=build)


def _kept_thread_names(pk: int) -> dict:
    return {
        "name": "forum-thread",
        "depends_on": ["forum", "members", services.thread_version(pk)],
        "audience": None,
        "vary": pk,
    }


def _prefetch_thread_page(request: HttpRequest, pk: int) -> None:
    """Everything a thread's page reads from the cache, in two round trips to it (cms.cache.MemoRedisCache)
    rather than one per key: first the thread's version, whether this member watches it and how far they
    have read it, then what is named after that version (the kept thread, this member's "helpful" marks,
    the page of replies asked for). Only the number of round trips changes: each value is still read, and
    checked, where it is used."""
    user = request.user
    thread_type = ContentType.objects.get_for_model(Thread).pk
    fragments.prefetch(
        fragments.version_key(services.thread_version(pk)),
        notifications.WATCHING_KEY.format(user.pk, thread_type, pk),
        fragments.version_key(services.reader_version(user.pk)),
    )
    # the page as asked; one past the end (resolved to the last) just costs one more read later
    number = _int(request.GET.get("page")) or 1
    fragments.prefetch(
        fragments.fragment_key(**_kept_thread_names(pk)),
        fragments.fragment_key(**services.helpful_names(user, pk)),
        fragments.fragment_key(**services.read_names(user.pk, pk)),
        fragments.fragment_key(**_replies_names(pk, may_see_hidden(user), number)),
    )


@member_required
def thread_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    _prefetch_thread_page(request, pk)
    kept = _kept_thread(pk)
    if kept is not None and kept.merged_into_id:  # its posts live in the thread it was merged into
        return redirect(_thread_for(request, _merged_into(pk)), permanent=True)
    thread = _thread_for(request, pk)
    if slug != thread.slug:
        query = request.GET.urlencode()
        return redirect(thread.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
    user = request.user
    moderator = may_see_hidden(user)
    replies = _replies_section(request, thread, moderator)
    read_before = services.read_up_to_one(user, thread.pk)
    has_unread = read_before is not None and read_before < thread.last_visible_number
    helpful = services.helpful_to(user, thread)
    replies_html, new_here = _fill_reply_marks(replies["html"], user.pk, read_before, helpful)
    # each reader's own token in the kept copy's forms: only where our template put the stand-in, as an
    # attribute's whole value, which no member-written text can produce (Markdown escapes quotes)
    token = get_token(request)
    replies_html = replies_html.replace(f'value="{CSRF_STAND_IN}"', f'value="{token}"')
    watching = notifications.is_watching(user, thread)
    replies_html = replies_html.replace(
        "<!--watch-->",
        WATCH_FORM.format(
            action=reverse("network:watch", args=[ContentType.objects.get_for_model(Thread).pk, thread.pk]),
            token=token,
            value="off" if watching else "on",
            next=escape(request.get_full_path()),
            label="Stop emails about new replies" if watching else "Email me new replies",
        ),
        1,
    )
    jump = ""
    if has_unread:
        href = "#first-unread" if new_here else reverse("network:forum:first_unread", args=[thread.pk])
        jump = f'<p><a href="{href}">Jump to the first unread reply</a></p>'
    replies_html = replies_html.replace("<!--jump-->", jump, 1)
    # what this page showed is read now: one write, and none for a page read before
    services.mark_read(user, thread, replies["last_number"], known=read_before)
    quoting = None if thread.is_locked else _quoted(thread, request.GET.get("quote", ""))
    form = ReplyForm(initial={"quote": request.GET["quote"]}) if quoting is not None else None
    blank = None if form else fragments.blank_form("forum-reply", lambda initial: ReplyForm(initial=initial))
    return render(
        request,
        "network_forum/thread.html",
        {
            "thread": thread,
            "replies_html": mark_safe(replies_html),  # noqa: S308 - our template's output, markers filled
            "page_number": replies["number"],
            "last_page": replies["number"] == replies["pages"],
            "pages": replies["pages"],
            "form": form,
            "blank_fields": blank,
            "quoting": quoting,
            "thread_type": ContentType.objects.get_for_model(Thread).pk,
            "moderator": moderator,
            "categories": Category.objects.all() if moderator else (),
        },
    )


def _replies_section(request: HttpRequest, thread: Thread, moderator: bool) -> dict:
    """A page of the thread's replies, rendered once per page and audience (members; moderators, who also
    see hidden replies) and kept until a reply there, the thread or a profile changes. What differs per
    reader (Report on others' replies, where new replies start for them) is filled in afterwards."""
    # the page number as the paginator resolves it ("abc" is 1, past the end is the last), so two
    # addresses of one page share one kept copy and no address names another's
    # visible replies, kept by the services (moderators also see hidden ones: counted for them)
    count = thread.reply_count if not moderator else Reply.objects.filter(thread=thread).count()
    number = (
        _CountedPaginator(Reply.objects.none(), REPLIES_PER_PAGE, count)
        .get_page(request.GET.get("page"))
        .number
    )

    def build() -> dict:
        replies = (
            Reply.objects.filter(thread=thread)
            .select_related("author__network_profile", "quoted__author__network_profile")
            .order_by("number")
        )
        if not moderator:
            replies = replies.visible()
        page = _CountedPaginator(replies, REPLIES_PER_PAGE, count).get_page(number)
        shown = list(page.object_list)
        html = render_to_string(
            "network_forum/includes/_replies.html",
            {
                "thread": thread,
                "page": page,
                "replies": shown,
                "reply_type": ContentType.objects.get_for_model(Reply).pk,
                "moderator": moderator,
                "thread_type": ContentType.objects.get_for_model(Thread).pk,
                "csrf_stand_in": CSRF_STAND_IN,  # forms in the kept copy: each reader's token goes in later
            },
        )
        last = shown[-1].number if shown else (thread.last_visible_number if page.number == 1 else 0)
        return {
            "html": html,
            "number": page.number,
            "pages": page.paginator.num_pages,
            "last_number": last,
            "reply_ids": [reply.pk for reply in shown],
        }

    return fragments.fragment(**_replies_names(thread.pk, moderator, number), build=build)


def _replies_names(pk: int, moderator: bool, number: int) -> dict:
    return {
        "name": "forum-replies",
        "depends_on": [services.thread_version(pk), "members"],
        "audience": "moderators" if moderator else "members",
        "vary": (pk, number),
    }


CSRF_STAND_IN = "csrf-stand-in"
WATCH_FORM = (  # per reader, in the kept page (our own values: digits, a token, an escaped path)
    '<form method="post" action="{action}" class="inline-form">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    '<input type="hidden" name="watch" value="{value}"><input type="hidden" name="next" value="{next}">'
    '<button type="submit" class="button--secondary">{label}</button></form>'
)
OTHERS_MARK = re.compile(r"<!--others:(\d+)-->(.*?)<!--/others-->", re.S)
MINE_MARK = re.compile(r"<!--mine:(\d+)-->(.*?)<!--/mine-->", re.S)
HELPFUL_MARK = re.compile(r"<!--helpful:(\d+)-->")
NEW_MARK = re.compile(r"<!--new:(\d+)-->")


def _fill_reply_marks(
    html: str, user_id: int, read_before: int | None, helpful: set[int] = frozenset()
) -> tuple[str, bool]:
    """ "Helpful" and Report only on replies by others (each reply's marker holds its author), "Helpful"
    pressed where this member marked it; "New since you last read" above the first reply after what this
    member had read (each reply's marker holds its number), and whether that is on this page."""
    html = OTHERS_MARK.sub(lambda match: "" if int(match.group(1)) == user_id else match.group(2), html)
    html = MINE_MARK.sub(lambda match: match.group(2) if int(match.group(1)) == user_id else "", html)
    html = HELPFUL_MARK.sub(lambda match: "true" if int(match.group(1)) in helpful else "false", html)
    first_new = []

    def new(match: re.Match) -> str:
        if read_before is not None and int(match.group(1)) > read_before and not first_new:
            first_new.append(match.group(1))
            return '<p class="forum-reply__new" id="first-unread">New since you last read</p>'
        return ""

    html = NEW_MARK.sub(new, html)
    return html, bool(first_new)


def _merged_into(pk: int) -> int | None:
    """Where a merged thread's posts live now, following a chain of merges (a few steps at most)."""
    target = None
    for _step in range(10):
        onward = Thread.objects.filter(pk=pk, merged_into__isnull=False).values_list("merged_into", flat=True)
        if (pk := onward.first()) is None:
            break
        target = pk
    return target


def _quoted(thread: Thread, quote: str) -> Thread | Reply | None:
    """What a `quote` value names in this thread: "opening" its first post, digits one of its visible replies."""
    if quote == "opening":
        return thread
    if pk := _int(quote):
        return Reply.objects.visible().filter(thread=thread, pk=pk).first()
    return None


@member_required
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    # the kept copy to show the form; the row itself to start a thread in
    category = get_object_or_404(Category, slug=slug) if request.method == "POST" else _kept_category(slug)
    if not services.may_start_thread(request.user, category):
        messages.error(
            request, _("Only moderators start threads in “%(category)s”.") % {"category": category}
        )
        return redirect(category)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Please correct the problems below; nothing was saved yet."))
        elif rate_limited("thread", request.user):
            messages.error(
                request, _("You have started a lot of threads in the last hour. Please try again later.")
            )
        else:
            try:
                thread = services.start_thread(
                    category=category,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    submission_key=form.cleaned_data.get("submission_key"),
                )
            except services.ForumError as error:
                messages.error(request, str(error))
            else:
                return redirect(thread)
    # nobody has typed into it yet: its fields rendered once (network.fragments.blank_form)
    blank = (
        None
        if form.is_bound
        else fragments.blank_form("forum-thread", lambda initial: ThreadForm(initial=initial))
    )
    return render(
        request,
        "network_forum/thread_form.html",
        {"form": form, "category": category, "blank_fields": blank},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required
def reply_create(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the problems below; nothing was saved yet."))
    elif rate_limited("reply", request.user):
        messages.error(request, _("You have replied a lot in the last hour. Please try again later."))
    else:
        quote = form.cleaned_data.get("quote", "")
        quoted = _quoted(thread, quote)
        if quote and quoted is None:  # hidden since, in another thread, or nonsense: say so, save nothing
            messages.error(request, _("That cannot be quoted here. Your reply is below."))
            return render(
                request, "network_forum/reply_form.html", {"form": form, "thread": thread}, status=400
            )
        try:
            reply = services.add_reply(
                thread=thread,
                author=request.user,
                body=form.cleaned_data["body"],
                quoted=quoted,
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except services.ForumError as error:
            messages.error(request, str(error))
        else:
            return redirect(reply)
    # the form again, with what they wrote, on the thread's last page
    return render(
        request,
        "network_forum/reply_form.html",
        {"form": form, "thread": thread},
        status=400,
    )


@member_required
def reply_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply's lasting address: its thread's page (as this reader sees it) at its anchor."""
    reply = get_object_or_404(Reply.objects.select_related("thread"), pk=pk)
    if not reply.is_visible_to(request.user):
        raise Http404
    number = services.page_of(reply, request.user)
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{reply.thread.get_absolute_url()}{query}#{reply.anchor}")


@member_required
def first_unread(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Jump to first unread": the first reply after what this member has read, or the thread's end."""
    thread = _thread_for(request, pk)
    reply = services.first_unread(thread, request.user)
    if reply is None:
        last = Paginator(Reply.objects.filter(thread=thread).shown_to(request.user), REPLIES_PER_PAGE)
        query = f"?page={last.num_pages}" if last.num_pages > 1 else ""
        return redirect(f"{thread.get_absolute_url()}{query}#replies-end")
    return reply_permalink(request, reply.pk)


@require_POST
@member_required
def moderate_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator pins, locks, moves, hides or restores a thread, from its page."""
    thread = _thread_for(request, pk)
    action, by = request.POST.get("action", ""), request.user
    try:
        if action in ("pin", "unpin"):
            services.pin_thread(thread=thread, by=by, pinned=action == "pin")
        elif action in ("lock", "unlock"):
            services.lock_thread(thread=thread, by=by, locked=action == "lock")
        elif action == "move":
            category = Category.objects.filter(pk=_int(request.POST.get("category"))).first()
            if category is None:
                raise moderation.ModerationError(_("Please choose a category to move the thread to."))
            services.move_thread(thread=thread, by=by, category=category)
        elif action == "merge":
            into = Thread.objects.filter(pk=_int(request.POST.get("into"))).first()
            if into is None or not into.is_visible_to(by):
                raise moderation.ModerationError(
                    _("Please give the number of the thread to merge this one into.")
                )
            thread = services.merge_threads(source=thread, into=into, by=by)
        elif action == "hide":
            moderation.hide(item=thread, by=by, reason=request.POST.get("reason", "")[:500])
        elif action == "restore":
            moderation.restore(item=thread, by=by)
        else:
            raise Http404
    except (moderation.ModerationError, services.ForumError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done."))
    return redirect(thread)


@require_POST
@member_required
def moderate_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator hides or restores a reply, from its thread's page."""
    reply = get_object_or_404(Reply.objects.select_related("thread"), pk=pk)
    if not reply.is_visible_to(request.user):
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "hide":
            moderation.hide(item=reply, by=request.user, reason=request.POST.get("reason", "")[:500])
        elif action == "restore":
            moderation.restore(item=reply, by=request.user)
        else:
            raise Http404
    except moderation.ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done."))
    return redirect(reply)


def _int(value: str | None) -> int | None:
    # ASCII digits only: "²".isdigit() is true, and int() refuses it
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


@require_POST
@member_required
def reply_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a reply helpful, or take the mark back (the button under each reply by someone else)."""
    reply = get_object_or_404(Reply.objects.select_related("thread"), pk=pk)
    if not reply.is_visible_to(request.user):
        raise Http404
    if rate_limited("helpful", request.user):
        messages.error(
            request, _("You have marked a lot of replies in the last hour. Please try again later.")
        )
        return redirect(reply)
    try:
        services.toggle_helpful(reply=reply, user=request.user)
    except services.ForumError as error:
        messages.error(request, str(error))
    return redirect(reply)


@member_required
def thread_edit(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_for(request, pk)
    if not services.may_edit(thread, request.user):
        raise Http404
    form = ThreadForm(
        request.POST if request.method == "POST" else None,
        instance=Thread(title=thread.title, body=thread.body),
    )
    if request.method == "POST":
        if form.is_valid() and rate_limited("edit", request.user):
            messages.error(request, _("You have edited a lot in the last hour. Please try again later."))
        elif form.is_valid():
            try:
                edited = services.edit_thread(
                    thread=thread,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except services.ForumError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(edited)
        else:
            messages.error(request, _("Please correct the problems below; nothing was saved yet."))
    blank = None
    if not form.is_bound:  # what they wrote, in fields rendered once (network.fragments.blank_form)
        blank = fragments.blank_form(
            "forum-thread-edit",
            lambda initial: ThreadForm(initial=initial),
            values={"title": thread.title, "body": thread.body},
        )
    return render(
        request,
        "network_forum/edit.html",
        {"form": form, "thread": thread, "heading": _("Edit your thread"), "blank_fields": blank},
        status=400 if form.errors else 200,
    )


@member_required
def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":  # the form: the reply's own fields, and its thread as kept for its page
        reply = get_object_or_404(Reply.objects.only("thread_id", "author_id", "hidden_at", "body"), pk=pk)
        thread = _kept_thread(reply.thread_id)
        if thread is None:
            raise Http404
        reply.thread = thread
    else:
        reply = get_object_or_404(Reply.objects.select_related("thread"), pk=pk)
    if not reply.is_visible_to(request.user) or not services.may_edit(reply, request.user):
        raise Http404
    form = ReplyForm(request.POST if request.method == "POST" else None, instance=Reply(body=reply.body))
    if request.method == "POST":
        if form.is_valid() and rate_limited("edit", request.user):
            messages.error(request, _("You have edited a lot in the last hour. Please try again later."))
        elif form.is_valid():
            try:
                services.edit_reply(reply=reply, by=request.user, body=form.cleaned_data["body"])
            except services.ForumError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(reply)
        else:
            messages.error(request, _("Please correct the problems below; nothing was saved yet."))
    blank = None
    if not form.is_bound:  # what they wrote, in fields rendered once (network.fragments.blank_form)
        blank = fragments.blank_form(
            "forum-reply-edit", lambda initial: ReplyForm(initial=initial), values={"body": reply.body}
        )
    return render(
        request,
        "network_forum/edit.html",
        {"form": form, "thread": reply.thread, "heading": _("Edit your reply"), "blank_fields": blank},
        status=400 if form.errors else 200,
    )


@member_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every earlier version of a thread's opening post and of its replies: for moderators only."""
    thread = _thread_for(request, pk)
    if not may_see_hidden(request.user):
        raise Http404
    revisions = thread.revisions.select_related("reply")
    return render(request, "network_forum/history.html", {"thread": thread, "revisions": revisions})


@require_POST
@member_required
def category_watch(request: HttpRequest, slug: str) -> HttpResponse:
    """Start or stop watching a category: an email for each new thread in it."""
    category = get_object_or_404(Category, slug=slug)
    if request.POST.get("watch") == "on":
        notifications.watch(request.user, category)
        messages.success(request, _("You will hear of new threads in %(category)s.") % {"category": category})
    else:
        notifications.unwatch(request.user, category)
        messages.success(request, _("You stopped watching %(category)s.") % {"category": category})
    return redirect(category)


@member_required
def people(request: HttpRequest) -> JsonResponse:
    """Members whose handle or name starts with what was typed after "@": for the mention helper (the
    directory shows members the same to every member). At most 8; nothing for fewer than 2 letters."""
    typed = clean_text(request.GET.get("q", "")).lstrip("@")[:40]  # clean_text: no NUL for PostgreSQL
    if len(typed) < 2:
        return JsonResponse({"people": []})
    found = (
        Profile.objects.members()
        .filter(Q(handle__istartswith=typed) | Q(display_name__istartswith=typed))
        .order_by("display_name")
        .values("handle", "display_name")[:8]
    )
    response = JsonResponse({"people": [{"handle": p["handle"], "name": p["display_name"]} for p in found]})
    response["Cache-Control"] = "private, no-store"
    return response
