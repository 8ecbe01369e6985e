from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
    # Before allauth's own /accounts/logout/ (mounted after this), which it wraps.
    path("logout/", views.sign_out, name="sign_out"),
]
