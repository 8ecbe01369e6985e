"""The account page /accounts/tokens/: create (the secret shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from api.forms import TokenForm
from api.models import PersonalAccessToken
from portal.forms import apply_service_errors


def _page(request, form, *, secret=None, created=None):
    now = timezone.now()
    rows = [
        {"token": token, "active": token.is_active(now)}
        for token in selectors.token_list(user=request.user)
    ]
    return render(
        request,
        "api/tokens.html",
        {"form": form, "rows": rows, "secret": secret, "created": created},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """A created token's secret is shown in the answer to the POST itself, once: it is never
    stored (not even in the session, where a redirect would have to keep it)."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = services.token_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _page(request, TokenForm(), secret=secret, created=token)
        return _page(request, form)
    return _page(request, TokenForm())


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=request.user)
    services.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
