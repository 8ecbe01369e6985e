"""The randomized experiment: plan, start, follow (tonight, progress), look, amend, stop,
and its CENT-style report. Every change is a POST; GET only shows."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import apply_service_errors
from tracker import pages, reference, selectors, services
from tracker.evening import evening_of
from tracker.forms import ExperimentAmendForm, ExperimentPlanForm
from tracker.models import ExperimentStatus

DAY = datetime.timedelta(days=1)


def _plan_initial(experiment, user) -> dict:
    if experiment is not None and experiment.status == ExperimentStatus.PLANNING:
        return {name: getattr(experiment, name) for name in ExperimentPlanForm.base_fields}
    return {
        "outcome": "severity",
        "smallest_change": reference.SMALLEST_CHANGE["severity"].value,
        "pairs": reference.EXPERIMENT_PAIRS.value,
        "period_nights": reference.EXPERIMENT_PERIOD_NIGHTS.value,
        "washout_nights": reference.EXPERIMENT_WASHOUT_NIGHTS.value,
        # Tomorrow: whatever the hour, tonight's dose may already be taken (or not).
        "start_evening": evening_of(timezone.now(), user.zone, user.wake_time) + DAY,
    }


def _open_experiment(user, *statuses):
    """The user's own experiment in one of `statuses`; another user's never (404)."""
    experiment = selectors.experiment_current(user=user)
    if experiment is None or experiment.status not in statuses:
        raise Http404
    return experiment


@login_required
@require_http_methods(["GET", "POST"])
def experiment(request):
    user = request.user
    context = pages.experiment_context(user=user, now=timezone.now())
    current = context["experiment"]
    planning = current is None or current.status == ExperimentStatus.PLANNING
    wants_new = request.GET.get("new") == "1" and not (
        current and current.status == ExperimentStatus.RUNNING and not context.get("finished")
    )
    form = None
    if planning or wants_new or request.method == "POST":
        form = ExperimentPlanForm(
            request.POST if request.method == "POST" else None,
            initial=_plan_initial(current if planning else None, user),
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.experiment_plan(user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your plan is saved. Start it when you are ready."))
            return redirect("tracker:experiment")
    amend_form = None
    if current is not None and current.status == ExperimentStatus.RUNNING:
        amend_form = ExperimentAmendForm(
            initial={
                "smallest_change": current.smallest_change,
                "pairs": current.pairs,
                "dose_elemental_mg": current.dose_elemental_mg,
            }
        )
    return render(
        request,
        "tracker/experiment.html",
        {**context, "form": form, "amend_form": amend_form, "planning": planning},
    )


@login_required
@require_POST
def experiment_start(request):
    experiment = _open_experiment(request.user, ExperimentStatus.PLANNING)
    try:
        services.experiment_start(experiment=experiment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Started. The order is drawn and the plan is locked."))
    return redirect("tracker:experiment")


@login_required
@require_POST
def experiment_look(request):
    experiment = _open_experiment(request.user, ExperimentStatus.RUNNING)
    log = selectors.experiment_log(experiment=experiment)
    try:
        services.experiment_look(experiment=experiment, log=log)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tracker:experiment")


@login_required
@require_POST
def experiment_amend(request):
    experiment = _open_experiment(request.user, ExperimentStatus.RUNNING)
    form = ExperimentAmendForm(request.POST)
    if form.is_valid():
        try:
            services.experiment_amend(experiment=experiment, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The change is recorded beside your result."))
            return redirect("tracker:experiment")
    context = pages.experiment_context(user=request.user, now=timezone.now())
    return render(
        request,
        "tracker/experiment.html",
        {**context, "form": None, "amend_form": form, "planning": False},
        status=400,
    )


@login_required
@require_POST
def experiment_stop(request):
    experiment = _open_experiment(request.user, ExperimentStatus.RUNNING)
    try:
        services.experiment_stop(experiment=experiment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Stopped. What you logged stays in your diary."))
    return redirect("tracker:experiment")


@login_required
@require_POST
def experiment_discard(request):
    experiment = _open_experiment(request.user, *ExperimentStatus.values)
    try:
        services.experiment_discard(experiment=experiment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The experiment is deleted. Your nights and doses stay."))
    return redirect("tracker:experiment")


@login_required
@require_POST
def experiment_capsule(request):
    """Blinded: "I took tonight's capsule" (one POST, works without JavaScript)."""
    experiment = _open_experiment(request.user, ExperimentStatus.RUNNING)
    try:
        services.experiment_capsule_record(experiment=experiment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tonight's capsule is logged."))
    return redirect("tracker:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def experiment_helper_sheet(request):
    """Blinded: which packets hold magnesium, for the person who fills them. GET only warns;
    the sheet shows after a POST, and every showing is counted on the report."""
    experiment = _open_experiment(request.user, ExperimentStatus.RUNNING)
    if not experiment.blinded:
        raise Http404
    if request.method == "POST":
        services.experiment_key_show(experiment=experiment)
        return render(
            request,
            "tracker/experiment_helper_sheet.html",
            {"experiment": experiment, "packets": pages.helper_sheet(experiment=experiment)},
        )
    return render(
        request,
        "tracker/experiment_helper_sheet.html",
        {"experiment": experiment, "trial_article": reference.TRIAL_ARTICLE_PATH},
    )


@login_required
@require_GET
def experiment_report(request):
    context = pages.experiment_context(user=request.user, now=timezone.now())
    if context["experiment"] is None or context["experiment"].orders is None:
        raise Http404
    return render(request, "tracker/experiment_report.html", context)
