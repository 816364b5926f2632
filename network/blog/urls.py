from django.urls import path

from . import feeds, views

app_name = "blog"

# A post lives at <pk>/<slug>/ (the slug follows its title); every other address starts with a word, so
# no title can ever collide with an action. Tag addresses may hold any letters (taggit keeps Unicode).
urlpatterns = [
    path("", views.blog_index, name="index"),
    path("<int:pk>/<slug:slug>/", views.post_detail, name="post"),
    path("write/", views.post_create, name="post_create"),
    path("mine/", views.my_posts, name="my_posts"),
    path("edit/<int:pk>/", views.post_edit, name="post_edit"),
    path("delete/<int:pk>/", views.post_delete, name="post_delete"),
    path("restore/<int:pk>/", views.post_restore, name="post_restore"),
    path("comment/<int:pk>/", views.comment_create, name="comment_create"),
    path("image/<int:pk>/<str:key>.jpg", views.post_image, name="image"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("members/<slug:handle>/", views.member_blog, name="member"),
    path("category/<slug:slug>/", views.category_archive, name="category"),
    path("tag/<str:slug>/", views.tag_archive, name="tag"),
    path("archive/<int:year>/<int:month>/", views.month_archive, name="month"),
    path("feed/", feeds.PublicFeed(), name="feed"),
    path("feed/category/<slug:slug>/", feeds.CategoryFeed(), name="category_feed"),
    path("feed/members/<slug:handle>/", feeds.MemberFeed(), name="member_feed"),
    path("feed/private/", feeds.private_feed_settings, name="private_feed_settings"),
    path("feed/private/<str:key>/", feeds.PrivateFeed(), name="private_feed"),
]
