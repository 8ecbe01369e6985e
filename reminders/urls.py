"""Reminders' own pages; portal/urls.py mounts them with flows' in the "reminders" namespace,
and the calendar feed at /calendar/."""

from django.urls import path

from reminders import views

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("snooze/<str:token>/", views.snooze, name="snooze"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/delete/", views.calendar_delete, name="calendar_delete"),
    path("preview/", views.email_preview, name="email_preview"),
]

# Mounted at /calendar/ by portal/urls.py, in the "calendar" namespace.
calendar_urlpatterns = [
    path("<slug:token>.ics", views.calendar_feed, name="feed"),
]

# Mounted at /accounts/ by portal/urls.py, in the "devices" namespace.
devices_urlpatterns = [
    path("devices/", views.devices, name="list"),
    path("devices/subscribe/", views.device_subscribe, name="subscribe"),
    path("devices/<int:pk>/remove/", views.device_remove, name="remove"),
]
