from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def dashboard(request):
    return render(request, "tracker/dashboard.html")


@login_required
@require_GET
def log(request):
    return render(request, "tracker/log.html")
