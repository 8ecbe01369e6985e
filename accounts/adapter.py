"""allauth adapter: where a sign-in lands when it has no `next`.

Staff (editors, medical reviewers) work in the admin, so they land there; everyone else is
offered the onboarding screen once, after their very first sign-in, then the dashboard.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

from accounts.services import user_onboarding_mark


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # allauth asks this only when the login has no `next`: a bookmark to a form still
        # goes straight to that form, so onboarding never blocks another page.
        user = request.user
        if user.is_authenticated and user.is_staff:
            return reverse("admin:index")
        if user.is_authenticated and user.onboarded_at is None:
            # Marked when offered (during the login POST), so it is offered exactly once.
            # The page is named, not imported: accounts knows no app above it.
            user_onboarding_mark(user=user)
            return reverse("reminders:onboarding")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # Where the confirmation link lands the browser that signed up (it signs them in):
        # a new account has not seen the onboarding screen. Skipping or finishing it marks it
        # as offered; leaving it open offers it again at the next sign-in.
        return reverse("reminders:onboarding")

    def get_client_ip(self, request):
        # allauth raises ImproperlyConfigured (a 500 on login and password reset) when
        # X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT: a request that did not
        # pass every proxy (e.g. sent straight to the inner one). Its rate limits then count
        # the connecting address, the one portal.client_ip logs: never the client's own words.
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            address = request.META.get("REMOTE_ADDR")
            if not address:
                raise PermissionDenied("Unable to determine client IP address") from None
            return address
