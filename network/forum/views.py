"""The forum's pages, all members-only: the index of categories, a category's threads, a thread with its
replies, starting a thread, replying, and the links that find a reply or the first unread one."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.access import member_required
from network.models import may_see_hidden
from network.ratelimit import rate_limited
from network.services import notifications

from . import services
from .forms import ReplyForm, ThreadForm
from .models import REPLIES_PER_PAGE, Category, Reply, Thread

THREADS_PER_PAGE = 30


@member_required
def forum_index(request: HttpRequest) -> HttpResponse:
    categories = Category.objects.select_related(None)
    return render(request, "network_forum/index.html", {"categories": categories})


@member_required
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    threads = (
        Thread.objects.visible_to(request.user)
        .filter(category=category)
        .select_related("author__network_profile", "last_reply__author__network_profile")
        .defer("body", "body_html", "last_reply__body", "last_reply__body_html")
        .order_by("-pinned", "-last_activity_at", "-pk")
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    read = services.read_up_to(request.user, page.object_list)
    for thread in page.object_list:
        thread.read_up_to = read.get(thread.pk)
        thread.unread = thread.read_up_to is None or thread.read_up_to < thread.last_visible_number
    return render(
        request,
        "network_forum/category.html",
        {
            "category": category,
            "page": page,
            "may_start": services.may_start_thread(request.user, category),
        },
    )


def _thread_for(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("category", "author__network_profile"), pk=pk)
    if not thread.is_visible_to(request.user):
        raise Http404
    return thread


@member_required
def thread_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    thread = _thread_for(request, pk)
    if slug != thread.slug:
        return redirect(thread, permanent=True)
    user = request.user
    replies = (
        Reply.objects.filter(thread=thread)
        .shown_to(user)
        .select_related("author__network_profile", "quoted__author__network_profile")
        .order_by("number")
    )
    page = Paginator(replies, REPLIES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    read_before = services.read_up_to(user, [thread]).get(thread.pk, 0)
    if shown:  # what this page showed is read now: one write, and none for a page read before
        services.mark_read(user, thread, shown[-1].number)
    elif page.number == 1:
        services.mark_read(user, thread, thread.last_visible_number)
    quoting = None if thread.is_locked else _quoted(thread, request.GET.get("quote", ""))
    form = ReplyForm(initial={"quote": request.GET["quote"]} if quoting else None)
    return render(
        request,
        "network_forum/thread.html",
        {
            "thread": thread,
            "page": page,
            "replies": shown,
            "read_before": read_before,
            "has_unread": read_before < thread.last_visible_number,
            "form": form,
            "quoting": quoting,
            "moderator": may_see_hidden(user),
            "watching": notifications.is_watching(user, thread),
            "thread_type": ContentType.objects.get_for_model(Thread).pk,
            "reply_type": ContentType.objects.get_for_model(Reply).pk,
        },
    )


def _quoted(thread: Thread, quote: str) -> Thread | Reply | None:
    """What a `quote` value names in this thread: "opening" its first post, digits one of its visible replies."""
    if quote == "opening":
        return thread
    if quote.isdigit() and len(quote) < 12:
        return Reply.objects.visible().filter(thread=thread, pk=int(quote)).first()
    return None


@member_required
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    if not services.may_start_thread(request.user, category):
        messages.error(
            request, _("Only moderators start threads in “%(category)s”.") % {"category": category}
        )
        return redirect(category)
    form = ThreadForm(request.POST or None)
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
    return render(
        request,
        "network_forum/thread_form.html",
        {"form": form, "category": category},
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
        quoted = _quoted(thread, form.cleaned_data.get("quote", ""))
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
