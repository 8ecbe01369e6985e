from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
