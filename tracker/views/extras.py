"""'My magnesium', other medicines, the lab log, trial phases, and the Log hub page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import apply_service_errors
from tracker import pages, reference, selectors, services
from tracker.evening import last_night
from tracker.forms import LabForm, MedicineForm, ProductForm, TrialForm
from tracker.models import LabResult, OtherMedicine
from tracker.views.entries import _conversion_context


@login_required
@require_http_methods(["GET"])
def log(request):
    """The Log hub: the two daily actions, then the latest of each list."""
    user = request.user
    evening = last_night(timezone.now(), user.zone, user.wake_time)
    return render(
        request,
        "tracker/log.html",
        {
            "nights": selectors.night_list(user=user)[:5],
            "doses": selectors.dose_list(user=user)[:5],
            "last_night_logged": selectors.evening_has_night(user=user, evening=evening),
            "product": selectors.saved_product_get(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product(request):
    current = selectors.saved_product_get(user=request.user)
    if request.method == "POST":
        form = ProductForm(request.POST)
        if form.is_valid():
            try:
                services.saved_product_set(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("“My magnesium” is saved. One tap now logs it."))
                return redirect("tracker:dashboard")
    else:
        initial = {"form": "glycinate", "unit": "elemental"}
        if current:
            initial = {"form": current.form, "amount_mg": current.amount_mg, "unit": current.unit}
        form = ProductForm(initial=initial)
    return render(
        request,
        "tracker/product_form.html",
        {"form": form, "current": current, **_conversion_context()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def medicines(request):
    form = MedicineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.medicine_add(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Medicine added."))
            return redirect("tracker:medicines")
    return render(
        request,
        "tracker/medicines.html",
        {
            "form": form,
            "medicines": selectors.medicine_list(user=request.user),
            "gabapentin_hours": reference.GABAPENTIN_SPACING_HOURS,
            "iron_hours": reference.IRON_SPACING_HOURS,
            "general_source": reference.GENERAL_SPACING_SOURCE,
            "safety_article": reference.SAFETY_ARTICLE_PATH,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def medicine_delete(request, pk):
    """GET asks (the same confirmation page as nights and doses), POST removes."""
    medicine = get_object_or_404(OtherMedicine, pk=pk, user=request.user)
    label = medicine.get_kind_display() + (f" ({medicine.name})" if medicine.name else "")
    if request.method == "POST":
        services.medicine_delete(medicine=medicine)
        messages.success(
            request, _("%(medicine)s is removed from your list.") % {"medicine": label}
        )
        return redirect("tracker:medicines")
    return render(
        request,
        "tracker/confirm_delete.html",
        {
            "what": _("%(medicine)s from your list of medicines") % {"medicine": label},
            "cancel_url": "tracker:medicines",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def labs(request):
    form = LabForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lab_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Blood test result saved."))
            return redirect("tracker:labs")
    results = selectors.lab_result_list(user=request.user)
    return render(
        request,
        "tracker/labs.html",
        {
            "form": form,
            "results": list(reversed(results)),
            "chart": pages.lab_charts(results=results),
            "ferritin_threshold": reference.FERRITIN_THRESHOLD_NG_ML,
            "tsat_threshold": reference.TSAT_THRESHOLD_PERCENT,
            "iron_article": reference.IRON_ARTICLE_PATH,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lab_delete(request, pk):
    """GET asks (the same confirmation page as nights and doses), POST deletes."""
    lab = get_object_or_404(LabResult, pk=pk, user=request.user)
    label = formats.date_format(lab.taken_on, "j F Y")
    if request.method == "POST":
        services.lab_delete(lab=lab)
        messages.success(
            request, _("The blood test result of %(date)s is deleted.") % {"date": label}
        )
        return redirect("tracker:labs")
    return render(
        request,
        "tracker/confirm_delete.html",
        {
            "what": _("the blood test result of %(date)s") % {"date": label},
            "cancel_url": "tracker:labs",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def trial(request):
    current = selectors.trial_get(user=request.user)
    if request.method == "POST" and "clear" in request.POST:
        services.trial_clear(user=request.user)
        messages.success(request, _("Trial phases cleared."))
        return redirect("tracker:dashboard")
    if request.method == "POST":
        form = TrialForm(request.POST)
        if form.is_valid():
            try:
                services.trial_set(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Trial phases saved."))
                return redirect("tracker:dashboard")
    else:
        initial = {}
        if current:
            initial = {
                name: getattr(current, name)
                for name in ("baseline_start", "baseline_end", "magnesium_start", "magnesium_end")
            }
        form = TrialForm(initial=initial)
    return render(request, "tracker/trial_form.html", {"form": form, "current": current})
