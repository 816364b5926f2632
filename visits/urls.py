from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    # members and visitors (views.py)
    path("", views.visit_list, name="visit_list"),
    # hosts offer and change visits (host.py)
    # hosts manage attendees (dashboard.py)
    # after the visit (feedback.py)
]
