from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("taken/<str:token>/", views.taken, name="taken"),
    path("skip/<str:token>/", views.skip, name="skip"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
