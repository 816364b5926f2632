from django.apps import apps
from django.urls import include, path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.network_home, name="home"),
    path("join/", views.apply, name="apply"),
    path("membership/", views.membership_status, name="membership_status"),
    path("members/", views.member_list, name="member_list"),
    path("members/<slug:handle>/", views.profile_detail, name="profile_detail"),
    path("members/<slug:handle>/photo/<str:key>.jpg", views.profile_avatar, name="profile_avatar"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("my-data/delete-account/", views.account_delete, name="account_delete"),
    path("report/<int:content_type_id>/<int:object_id>/", views.report, name="report"),
    path("watch/<int:content_type_id>/<int:object_id>/", views.watch, name="watch"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/daily/<str:token>/", views.stop_digest, name="stop_digest"),
]

# Feature apps' pages, when the site installs them (as allauth's mfa urls include their sub-features).
if apps.is_installed("network.blog"):
    urlpatterns.append(path("blog/", include("network.blog.urls")))
if apps.is_installed("network.forum"):
    urlpatterns.append(path("forum/", include("network.forum.urls")))
