"""Forms of the cross-app pages: onboarding and the "I took it" email link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import HealthScreensForm, TimeZoneField, time_of_day_field
from tracker.fields import LocalDateTimeField, amount_mg_field, dose_form_field, unit_field
from tracker.models import Form


class OnboardingForm(HealthScreensForm):
    time_zone = TimeZoneField()
    bedtime = time_of_day_field(_("Usual bedtime"))
    wake_time = time_of_day_field(_("Usual wake time"))
    evening_reminder = forms.BooleanField(
        label=_("Email me 30 minutes before bedtime to take my magnesium"),
        help_text=_("You can change or turn this off at any time in Reminders."),
        required=False,
        initial=True,
    )
    product_form = dose_form_field(label=_("My magnesium: form"), required=False)
    product_amount_mg = amount_mg_field(
        label=_("Amount per dose (mg)"),
        required=False,
        help_text=_("Optional. Saves you typing it each evening."),
    )
    product_unit = unit_field(label=_("Unit"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_form"].choices = [("", _("— not now —")), *Form.choices]

    def clean(self):
        data = super().clean()
        amount, form = data.get("product_amount_mg"), data.get("product_form")
        if amount is not None and not form:
            self.add_error("product_form", _("Choose the form printed on the label."))
        if form and amount is None and "product_amount_mg" not in self.errors:
            self.add_error(
                "product_amount_mg", _("Enter the amount per dose, or leave both empty.")
            )
        if amount is not None and not data.get("product_unit"):
            self.add_error("product_unit", _("Choose elemental or compound milligrams."))
        return data


class TakenForm(forms.Form):
    """ "I took it" from the email: only asks what the saved product and clock can't answer."""

    def __init__(self, *args, needs_amount: bool, needs_time: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_amount:
            self.fields["form"] = dose_form_field()
            self.fields["amount_mg"] = amount_mg_field()
            self.fields["unit"] = unit_field()
        if needs_time:
            self.fields["taken_at"] = LocalDateTimeField(
                label=_("When did you take it?"),
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
                help_text=_("In your own time zone."),
            )
