"""The admin site: login through allauth (rate limits, MFA) and staff must have MFA on."""

from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def staff_needs_mfa(user) -> bool:
    return (
        settings.ADMIN_REQUIRE_MFA and user.is_active and user.is_staff and not is_mfa_enabled(user)
    )


class RestwellAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Restwell administration")
    site_title = gettext_lazy("Restwell admin")

    def has_permission(self, request):
        return super().has_permission(request) and not staff_needs_mfa(request.user)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and staff_needs_mfa(request.user):
            messages.info(request, _("Set up two-factor authentication to use the admin."))
            return redirect("mfa_activate_totp")
        return secure_admin_login(super().login)(request, extra_context)
