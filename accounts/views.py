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
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import AccountDeleteForm, ProfileForm
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
        },
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@reauthentication_required
def export(request):
    payload = json.dumps(user_data_export(user=request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
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


# allauth's sign-out, which also empties this browser's caches and storage (portal/pwa.py).
sign_out = clear_site_data(allauth_views.logout)
