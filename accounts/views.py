import json

from allauth.account import views as allauth_views
from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.forms import AccountDeleteForm, ProfileForm, VerificationResendForm
from accounts.selectors import user_data_export
from portal.pwa import clear_site_data


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "bedtime": user.bedtime,
            "wake_time": user.wake_time,
            "kidney_disease": user.kidney_disease,
            "pregnant_or_breastfeeding": user.pregnant_or_breastfeeding,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.health_screens_update(
            user=user,
            kidney_disease=data.pop("kidney_disease"),
            pregnant_or_breastfeeding=data.pop("pregnant_or_breastfeeding"),
        )
        services.profile_update(user=user, **data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@reauthentication_required
def export(request):
    payload = json.dumps(user_data_export(user=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate(timezone=request.user.zone).isoformat()  # in their zone
    response["Content-Disposition"] = f'attachment; filename="restwell-export-{stamp}.json"'
    return response


@login_required
@reauthentication_required
@clear_site_data
@require_http_methods(["GET", "POST"])
def delete(request):
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account and all your data have been deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@require_GET
def verification_sent(request):
    """allauth's "check your email" page, with a form to ask for a new link."""
    return render(
        request, "account/verification_sent.html", {"resend_form": VerificationResendForm()}
    )


@require_POST
def verification_resend(request):
    """Send a new confirmation link to an address still waiting for one.

    The answer is the same whether or not such an address exists (no one learns who has an
    account here), and allauth's confirmation cooldown limits how often a link goes out.
    """
    form = VerificationResendForm(request.POST)
    if not form.is_valid():
        return render(request, "account/verification_sent.html", {"resend_form": form})
    services.email_verification_resend(request=request, email=form.cleaned_data["email"])
    messages.info(
        request,
        _(
            "If an account with that address is waiting to be confirmed, a new link is on its "
            "way. It can take a few minutes; check your spam folder too."
        ),
    )
    return redirect("account_email_verification_sent")


# allauth's sign-out, which also empties this browser's caches and storage (portal/pwa.py).
sign_out = clear_site_data(allauth_views.logout)
