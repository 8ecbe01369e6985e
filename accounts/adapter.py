"""allauth adapter: after the very first sign-in, offer the onboarding screen once."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # allauth asks this only when the login has no `next`: a bookmark to a form still
        # goes straight to that form, so onboarding never blocks another page.
        user = request.user
        if user.is_authenticated and user.onboarded_at is None:
            from reminders.onboarding import onboarding_offered

            # Marked when offered (during the login POST), so it is offered exactly once.
            onboarding_offered(user=user)
            return reverse("reminders:onboarding")
        return super().get_login_redirect_url(request)
