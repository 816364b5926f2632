from django.urls import path

from . import dashboard, feedback, feeds, host, views

app_name = "visits"

urlpatterns = [
    # members and visitors (views.py)
    path("", views.visit_list, name="visit_list"),
    path("past/", views.visit_past, name="visit_past"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/book/", views.visit_book, name="visit_book"),
    path("<int:pk>/calendar.ics", views.visit_ics, name="visit_ics"),
    path("calendar.ics", feeds.public_feed, name="public_feed"),
    path("calendar/<str:key>.ics", feeds.member_feed, name="member_feed"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    # hosts offer and change visits (host.py)
    path("host/", host.host_home, name="host_home"),
    path("host/new/", host.visit_create, name="visit_create"),
    path("host/<int:pk>/edit/", host.visit_edit, name="visit_edit"),
    path("host/<int:pk>/status/", host.visit_status, name="visit_status"),
    # hosts manage attendees (dashboard.py)
    path("host/<int:pk>/", dashboard.visit_dashboard, name="visit_dashboard"),
    path("host/<int:pk>/attendees.csv", dashboard.attendees_csv, name="attendees_csv"),
    path("host/<int:pk>/message/", dashboard.message_attendees, name="message_attendees"),
    path("host/<int:pk>/add/", dashboard.attendee_add, name="attendee_add"),
    path("host/<int:pk>/capacity/", dashboard.capacity_change, name="capacity_change"),
    path("host/bookings/<int:pk>/<str:action>/", dashboard.booking_action, name="booking_action"),
    # after the visit (feedback.py)
    path("bookings/<int:pk>/feedback/", feedback.feedback_form, name="feedback_form"),
    path("host/<int:pk>/write-up/", feedback.write_up, name="write_up"),
]
