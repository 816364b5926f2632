from django.urls import path

from . import feeds, views

app_name = "forum"

# A thread lives at <pk>/<slug>/ (the slug follows its title); every other address starts with a word.
urlpatterns = [
    path("", views.forum_index, name="index"),
    path("<int:pk>/<slug:slug>/", views.thread_detail, name="thread"),
    path("category/<slug:slug>/", views.category_detail, name="category"),
    path("category/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("category/<slug:slug>/watch/", views.category_watch, name="category_watch"),
    path("reply/<int:pk>/", views.reply_permalink, name="reply"),
    path("thread/<int:pk>/reply/", views.reply_create, name="reply_create"),
    path("thread/<int:pk>/unread/", views.first_unread, name="first_unread"),
    path("thread/<int:pk>/moderate/", views.moderate_thread, name="moderate_thread"),
    path("reply/<int:pk>/moderate/", views.moderate_reply, name="moderate_reply"),
    path("reply/<int:pk>/helpful/", views.reply_helpful, name="reply_helpful"),
    path("reply/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("thread/<int:pk>/edit/", views.thread_edit, name="thread_edit"),
    path("thread/<int:pk>/history/", views.history, name="history"),
    path("feed/<str:key>/", feeds.WatchedThreadsFeed(), name="watched_feed"),
    path("people/", views.people, name="people"),
]
