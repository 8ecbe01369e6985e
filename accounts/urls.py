from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
    # Mounted before allauth's own page at this path (portal/urls.py): the same page, plus a
    # form to ask for a new link.
    path("confirm-email/", views.verification_sent, name="verification_sent"),
    path("verification/resend/", views.verification_resend, name="verification_resend"),
    # Before allauth's own /accounts/logout/ (mounted after this), which it wraps.
    path("logout/", views.sign_out, name="sign_out"),
]
