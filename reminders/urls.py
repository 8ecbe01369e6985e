"""Reminders' own pages; portal/urls.py mounts them with flows' in the "reminders" namespace."""

from django.urls import path

from reminders import views

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
