"""The blog's pages: the network blog and its archives, each member's blog, posts with their comments,
writing and editing, images and feeds."""

import re
import uuid
from datetime import date, timedelta
from html import escape

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag

from network import conf, fragments
from network.access import is_member, member_required, profile_of
from network.markup import render_markdown
from network.models import Profile, may_see_hidden
from network.ratelimit import rate_limited
from network.search import clean_text, search_pks
from network.services import notifications

from . import services
from .forms import BlogFilterForm, CommentForm, PostForm
from .models import Category, Comment, Post

PAGE_SIZE = 20


def blog_index(request: HttpRequest, **archive) -> HttpResponse:
    """The network blog, or one of its archives: everything the viewer may read, newest first. The listing
    is the same for every member (and for every visitor), so it is rendered once per address and audience
    and kept until a post, comment, category or profile changes (network.fragments)."""
    member = is_member(request.user)
    listing = fragments.fragment(
        "blog",
        depends_on=["blog", "members"],
        audience="members" if member else "everyone",
        vary=(request.path, request.GET.urlencode()[:2000]),
        build=lambda: _render_listing(request, member, **archive),
    )
    return render(request, "network_blog/index.html", {**listing, "may_write": member})


def _render_listing(
    request: HttpRequest,
    member: bool,
    *,
    category: str = "",
    tag: str = "",
    year: int = 0,
    month: int = 0,
    author: Profile | None = None,
) -> dict:
    categories = list(Category.objects.all())
    form = BlogFilterForm(request.GET or None, categories=categories)
    posts = Post.objects.visible_to(request.user)
    heading, archive = _("Blog"), None
    if author is not None:
        posts, heading = posts.filter(author_id=author.user_id), _("Blog of %(name)s") % {"name": author}
    if category:
        archive = get_object_or_404(Category, slug=category)
        posts, heading = posts.filter(categories=archive), _("Posts in %(category)s") % {"category": archive}
    if tag:
        archive = get_object_or_404(Tag, slug=tag)
        posts, heading = posts.filter(tags=archive), _("Posts tagged “%(tag)s”") % {"tag": archive}
    if year:
        posts = posts.in_month(year, month)
        heading = _("Posts from %(month)s") % {"month": date_format(date(year, month, 1), "F Y")}
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = clean_text(data["q"])
        if query:
            # the search index knows nothing of visibility: search every post, keep those this viewer may see
            posts = posts.filter(pk__in=search_pks(Post.objects.all(), query, ranked=False))
        if data["category"]:
            posts = posts.filter(categories__slug=data["category"])
        if data["tag"]:
            posts = posts.filter(tags__name__iexact=data["tag"])
    page = Paginator(posts.for_listing().order_by("-published_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if tag and not page.paginator.count:
        raise Http404  # a tag only members-only posts carry is not there for a visitor, not even its name
    params = request.GET.copy()
    params.pop("page", None)
    html = render_to_string(
        "network_blog/includes/_listing.html",
        {
            "page": page,
            "form": form,
            "archive": archive,
            "categories": categories,
            "months": Post.objects.visible_to(request.user).dates("published_at", "month", order="DESC"),
            "query": params.urlencode(),
            "searched": query,
            "may_write": member,
        },
        request,
    )
    return {"listing": mark_safe(html), "heading": heading, "page_number": page.number}  # noqa: S308


def member_blog(request: HttpRequest, handle: str) -> HttpResponse:
    profile = get_object_or_404(Profile.objects.members(), handle=handle)
    if not is_member(request.user) and not Post.objects.public().filter(author_id=profile.user_id).exists():
        raise Http404  # a visitor learns of a member only through something they published publicly
    return blog_index(request, author=profile)


def category_archive(request: HttpRequest, slug: str) -> HttpResponse:
    return blog_index(request, category=slug)


def tag_archive(request: HttpRequest, slug: str) -> HttpResponse:
    return blog_index(request, tag=slug)


def month_archive(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    return blog_index(request, year=year, month=month)


def _post_for(request: HttpRequest, pk: int) -> Post:
    """The post, if the viewer may read it. A visitor at a members-only post is asked to sign in (as at
    any members-only page); everything else they may not see is simply not there."""
    post = _kept_post(pk) or get_object_or_404(Post.objects.select_related("author__network_profile"), pk=pk)
    if post.is_visible_to(request.user):
        return post
    if not request.user.is_authenticated and post.is_published and not post.is_hidden:
        raise _SignIn
    raise Http404


def _kept_post(pk: int) -> Post | None:
    """A published post that is neither hidden nor deleted, with its author's profile, from the cache (the
    page's one query was a third of its time): kept until any post or profile changes, or its comments or
    view count do. Who may read it is still decided on every request, from the kept fields; drafts, hidden
    and deleted posts (their author's or moderators' business) are always read afresh."""

    def build() -> Post | bool | None:
        # not kept with it: the author's credentials and what moderators wrote about them
        private = ["password", "email", "last_login", "network_profile__feed_key"]
        private += [f"network_profile__{name}" for name in ("application_reason", "decision_message")]
        private += ["network_profile__suspension_reason"]
        posts = Post.objects.select_related("author__network_profile").defer(
            *(f"author__{n}" for n in private)
        )
        post = posts.filter(pk=pk).first()
        if post is None:
            return None  # not kept: addresses of no post must not fill the cache
        if not post.is_published or post.is_hidden:
            return False  # kept as "not kept": the database decides, each time
        post.description  # noqa: B018 - computed once, kept with the post
        return post

    return (
        fragments.fragment(
            "post",
            depends_on=["blog", "members", services.post_version(pk)],
            audience=None,
            vary=pk,
            build=build,
        )
        or None
    )


class _SignIn(Exception):
    pass


def _int(value: str | None) -> int | None:
    # ASCII digits only: "²".isdigit() is true, and int() refuses it
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def post_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    try:
        post = _post_for(request, pk)
    except _SignIn:
        return redirect_to_login(request.get_full_path())
    if slug != post.slug:
        return redirect(post, permanent=True)
    if post.is_published:
        services.count_view(request, post)
    user = request.user
    member = is_member(user)
    moderator = may_see_hidden(user)
    return render(
        request,
        "network_blog/post_detail.html",
        {
            "post": post,
            "author_profile": profile_of(post.author) if post.author else None,
            **_comments_section(request, post, member, moderator),
            "post_type": ContentType.objects.get_for_model(Post).pk,
            "comment_form": fragments.blank_form("comment", lambda initial: CommentForm(initial=initial))
            if member and post.is_published
            else None,
            "is_author": user.is_authenticated and user.pk == post.author_id,
            "is_member": member,
            "moderator": moderator,
            "watching": member and post.is_published and notifications.is_watching(user, post),
            "links": _post_links(request, post, member),
            "views": post.view_count + services.pending_views(post),
        },
    )


def _post_links(request: HttpRequest, post: Post, member: bool) -> dict:
    """The post's categories and tags, and the previous, next and related posts the viewer may read: the
    same for everyone in an audience (members, everyone else), kept until any post, category or tag changes.
    A draft or a deleted post (its author's, or moderators') is rendered afresh."""

    def build() -> dict:
        before, after = services.neighbours(post, request.user) if post.is_published else (None, None)
        context = {
            "categories": list(post.categories.all()),
            "tags": list(post.tags.all()),
            "previous": before,
            "next": after,
            "related": services.related(post, request.user),
        }
        return {  # our templates, escaping what they show
            part: mark_safe(render_to_string(f"network_blog/includes/_post_{part}.html", context))  # noqa: S308
            for part in ("tags", "more")
        }

    if not post.is_published:
        return build()
    return fragments.fragment(
        "post-links",
        depends_on=["blog"],
        audience="members" if member else "everyone",
        vary=post.pk,
        build=build,
    )


def _comments_section(request: HttpRequest, post: Post, member: bool, moderator: bool) -> dict:
    """A page of the post's comments. Rendered once per page and audience (everyone, members, moderators)
    and kept until a comment on the post or a profile changes; what differs per reader (Edit and Delete on
    their own comments, Report on others') is filled in afterwards, in Python, at each marker. A page
    with a reply form open is rendered afresh: it is one reader's."""
    number, reply_to = request.GET.get("comments"), _int(request.GET.get("reply"))

    def build() -> dict:
        page, comments = services.visible_comments(post, request.user, number)
        context = {
            "post": post,
            "comment_page": page,
            "comments": comments,
            "is_member": member,
            "comment_form": member and post.is_published,
            "reply_to": reply_to,
            "reply_key": uuid.uuid4(),
            "actions_later": reply_to is None,
            "comment_type": ContentType.objects.get_for_model(Comment).pk,
        }
        html = render_to_string("network_blog/includes/_comments.html", context, request)
        shown = [c for top in comments for c in (top, *top.shown_replies)]
        return {"html": html, "comments": {c.pk: _action_facts(c) for c in shown}}

    if reply_to is None:
        section = fragments.fragment(
            "post-comments",
            depends_on=[services.post_version(post.pk), "members"],
            audience="moderators" if moderator else "members" if member else "everyone",
            vary=(post.pk, (number or "")[:12]),
            build=build,
        )
    else:
        section = build()
    html = section["html"]
    if member:
        html = _fill_actions(request, html, section["comments"])
    return {"comments_html": mark_safe(html)}  # noqa: S308 - our template's output, with escaped actions


def _action_facts(comment: Comment) -> tuple:
    """What decides a comment's per-reader actions: author, when written, hidden, removed, who for labels."""
    who = (
        comment.author.network_profile.display_name
        if comment.author and hasattr(comment.author, "network_profile")
        else ""
    )
    return (
        comment.author_id,
        comment.created_at,
        comment.is_hidden,
        comment.is_removed,
        who or "a former member",
    )


def _url_maker(name: str, *leading):
    """A function making `name`'s address for a key, from one reverse() with a stand-in key."""
    stand_in = "2147483647"
    pattern = reverse(name, args=[*leading, stand_in])
    return lambda pk: pattern.replace(stand_in, str(pk))


ACTIONS_MARKER = re.compile(r"<!--actions:(\d+)-->")


def _fill_actions(request: HttpRequest, html: str, facts: dict) -> str:
    """Each comment's actions for this reader: Edit (within the window) and Delete on their own, Report on
    others'. The same rules as services.may_edit_comment, from facts kept with the rendered page."""
    user, now = request.user, timezone.now()
    window = timedelta(seconds=conf.EDIT_WINDOW_SECONDS)
    comment_type = ContentType.objects.get_for_model(Comment).pk
    token = get_token(request)
    # each address reversed once, not once per comment (reverse() was a fifth of a 100-comment page)
    edit_url, delete_url, report_url = (
        _url_maker("network:blog:comment_edit"),
        _url_maker("network:blog:comment_delete"),
        _url_maker("network:report", comment_type),
    )

    # plain formatting with the standard library's escape: format_html's lazy wrappers were most of the fill
    # (3 ms of a 12 ms page of 50 threads); the addresses are our own digits, the token letters and digits
    delete_form = (
        '<form method="post" action="{}" class="inline-form"><input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{escape(token)}"><button type="submit" class="link-button">Delete'
        '<span class="visually-hidden"> your comment</span></button></form>'
    )

    def actions(match: re.Match) -> str:
        pk = int(match.group(1))
        author_id, written, hidden, removed, who = facts[pk]
        if author_id == user.pk:
            edit = ""
            if not hidden and not removed and now - written < window:
                edit = f'<a href="{edit_url(pk)}">Edit<span class="visually-hidden"> your comment</span></a> '
            return edit + delete_form.format(delete_url(pk))
        return f'<a href="{report_url(pk)}">Report<span class="visually-hidden"> the comment by {escape(who)}</span></a>'

    return ACTIONS_MARKER.sub(actions, html)


@member_required
def post_create(request: HttpRequest) -> HttpResponse:
    return _post_form(request, Post(author=request.user))


@member_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk, deleted_at__isnull=True)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    return _post_form(request, post)


def _post_form(request: HttpRequest, post: Post) -> HttpResponse:
    creating = post.pk is None
    form = PostForm(request.POST or None, request.FILES or None, instance=post)
    preview = None
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        if form.is_valid():
            if action == "preview":
                form.keep_image_for_preview()
                preview = render_markdown(form.cleaned_data["body"])
            else:
                done = services.existing_submission(
                    Post, request.user, form.cleaned_data.get("submission_key")
                )
                if creating and done is not None:
                    return redirect(done)
                if creating and rate_limited("post", request.user):
                    messages.error(
                        request,
                        _(
                            "You have written a lot of posts in the last hour. Please try again later; your text is still here."
                        ),
                    )
                else:
                    try:
                        post = services.save_post(form=form, author=request.user, publish=action == "publish")
                    except IntegrityError:  # the same form, sent twice at once: the other request made it
                        done = services.existing_submission(
                            Post, request.user, form.cleaned_data.get("submission_key")
                        )
                        if done is None:
                            raise
                        return redirect(done)
                    messages.success(
                        request,
                        _("Your post is published.")
                        if post.is_published
                        else _("Your draft is saved. Only you can see it."),
                    )
                    return redirect(post)
        else:
            messages.error(request, _("Please correct the problems below; nothing was saved yet."))
    blank = None
    if creating and not form.is_bound:  # categories are choices: kept until the blog changes
        blank = fragments.blank_form(
            "post", lambda initial: PostForm(initial=initial, instance=post), depends_on=["blog"]
        )
    return render(
        request,
        "network_blog/post_form.html",
        {"form": form, "post": post, "creating": creating, "preview": preview, "blank_fields": blank},
    )


@require_POST
@member_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk, deleted_at__isnull=True)
    try:
        services.delete_post(post=post, by=request.user)
    except services.BlogError:
        raise PermissionDenied from None
    messages.success(request, _("The post is deleted. Moderators can restore it if you ask them."))
    return redirect("network:blog:index")


@require_POST
@member_required
def post_restore(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk, deleted_at__isnull=False)
    try:
        services.restore_post(post=post, by=request.user)
    except services.BlogError:
        raise PermissionDenied from None
    messages.success(request, _("The post is restored."))
    return redirect(post)


@member_required
def my_posts(request: HttpRequest) -> HttpResponse:
    """The member's own posts, drafts included."""
    posts = Post.objects.filter(author=request.user, deleted_at__isnull=True).order_by("-created_at")
    return render(request, "network_blog/my_posts.html", {"posts": posts})


@require_POST
@member_required
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        post = _post_for(request, pk)
    except _SignIn:
        raise Http404 from None
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(post=post, pk=form.cleaned_data["parent"]).first()
        key = form.cleaned_data.get("submission_key")
        done = services.existing_submission(Comment, request.user, key)
        if done is not None:
            return redirect(done.get_absolute_url())
        if rate_limited("comment", request.user):
            messages.error(
                request,
                _(
                    "You have commented a lot in the last hour. Please try again later; your comment is below."
                ),
            )
        else:
            try:
                comment = services.add_comment(
                    post=post,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    parent=parent,
                    submission_key=key,
                )
            except services.BlogError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your comment is posted."))
                return redirect(comment.get_absolute_url())
    else:
        messages.error(request, _("Please correct the problem with your comment; nothing was posted yet."))
    return render(
        request,
        "network_blog/comment_form.html",
        {"form": form, "post": post},
        status=400 if form.errors else 200,
    )


@member_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    if not comment.is_visible_to(request.user):
        raise Http404
    if not services.may_edit_comment(comment, request.user):
        messages.error(request, _("This comment can no longer be edited."))
        return redirect(comment.get_absolute_url())
    form = CommentForm(request.POST or None, instance=comment)
    if request.method == "POST":
        if form.is_valid():
            services.edit_comment(comment=comment, by=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Your comment is saved."))
            return redirect(comment.get_absolute_url())
        messages.error(request, _("Please correct the problem with your comment; nothing was saved yet."))
    return render(
        request, "network_blog/comment_form.html", {"form": form, "post": comment.post, "comment": comment}
    )


@require_POST
@member_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk, deleted_at__isnull=True)
    try:
        with transaction.atomic():
            services.delete_comment(comment=comment, by=request.user)
    except services.BlogError:
        raise PermissionDenied from None
    messages.success(request, _("Your comment is removed."))
    return redirect(comment.post)


def post_image(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """A post's image, to whoever may read the post (members-only images never sit at a public URL)."""
    post = get_object_or_404(Post, pk=pk)
    if not post.is_visible_to(request.user) or not post.image or not post.image.name.endswith(f"/{key}.jpg"):
        raise Http404
    response = FileResponse(post.image.open("rb"), content_type="image/jpeg")
    # Private even for a public post: the address stays the same if the post later becomes members-only,
    # is deleted or hidden, and a shared cache must not go on serving it to anyone.
    response["Cache-Control"] = "private, max-age=86400"
    return response
