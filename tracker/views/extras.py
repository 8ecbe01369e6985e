"""'My magnesium', 'My iron', other medicines, the lab log, trial phases, and the Log hub."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import apply_service_errors
from tracker import iron, pages, reference, selectors, services
from tracker.evening import last_night
from tracker.forms import IronProductForm, LabForm, MedicineForm, ProductForm, TrialForm
from tracker.models import LabResult, MedicineKind, OtherMedicine
from tracker.safety import SPACING
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
            "spacing": [(str(MedicineKind(kind).label), rule) for kind, rule in SPACING.items()],
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
    product = selectors.iron_product_get(user=request.user)
    today = timezone.localdate(timezone=request.user.zone)
    return render(
        request,
        "tracker/labs.html",
        {
            "form": form,
            "readings": [iron.lab_reading(result) for result in reversed(results)],
            "chart": pages.lab_charts(results=results),
            "nudge": iron.retest_nudge(results=results, today=today, on_iron=product is not None),
            "iron_product": product,
            **pages.iron_reference_context(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def iron_product(request):
    """'My iron': GET shows the form (filled in), POST saves it, or clears it."""
    current = selectors.iron_product_get(user=request.user)
    if request.method == "POST" and "clear" in request.POST:
        services.iron_product_clear(user=request.user)
        messages.success(request, _("“My iron” is cleared."))
        return redirect("tracker:labs")
    if request.method == "POST":
        form = IronProductForm(request.POST)
        if form.is_valid():
            try:
                services.iron_product_set(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("“My iron” is saved."))
                return redirect("tracker:labs")
    else:
        initial = {}
        if current:
            initial = {
                name: getattr(current, name)
                for name in ("name", "elemental_mg", "frequency", "usual_time")
            }
        form = IronProductForm(initial=initial)
    return render(
        request,
        "tracker/iron_form.html",
        {
            "form": form,
            "current": current,
            "iron_hours": reference.IRON_SPACING_HOURS,
            "typo_limit": reference.IRON_DOSE_TYPO_LIMIT_MG,
            "safety_article": reference.SAFETY_ARTICLE_PATH,
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
