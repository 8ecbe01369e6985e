"""The cross-app pages, mounted by portal/urls.py in the "reminders" namespace."""

from django.urls import path

from flows import views

urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("taken/<str:token>/", views.taken, name="taken"),
    path("skip/<str:token>/", views.skip, name="skip"),
]
