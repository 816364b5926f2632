from django.urls import path

from . import host, views

app_name = "visits"

urlpatterns = [
    # members and visitors (views.py)
    path("", views.visit_list, name="visit_list"),
    path("past/", views.visit_past, name="visit_past"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/book/", views.visit_book, name="visit_book"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    # hosts offer and change visits (host.py)
    path("host/", host.host_home, name="host_home"),
    path("host/new/", host.visit_create, name="visit_create"),
    path("host/<int:pk>/edit/", host.visit_edit, name="visit_edit"),
    path("host/<int:pk>/status/", host.visit_status, name="visit_status"),
]
