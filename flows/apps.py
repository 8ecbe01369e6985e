from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    """Writes that span apps; no models of its own (see flows/__init__.py)."""

    name = "flows"
    verbose_name = _("Cross-app flows")
