from django.urls import path

app_name = "blog"

urlpatterns: list = []
