"""The delivery log for staff with the "view reminder delivery" permission.

It shows who was emailed when and whether it went out — never why a reminder was skipped
(that would reveal whether someone logged a dose) and no other health data.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reminders.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "user_email", "kind", "channel", "local_date", "status", "sent_at", "attempts",
    )  # fmt: skip
    list_filter = ("status", "kind", "channel", "local_date")
    search_fields = ("user__email",)
    date_hierarchy = "local_date"
    list_select_related = ("user",)
    ordering = ("-local_date", "-pk")
    fields = (
        "user_email", "kind", "channel", "local_date", "due_at", "status", "sent_at", "attempts",
        "redeliveries",
    )  # fmt: skip
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("user email"), ordering="user__email")
    def user_email(self, delivery):
        return delivery.user.email

    # A log: written by the pipeline only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
