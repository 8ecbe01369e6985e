from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Every app's personal_data.py registers what it stores about a user.
        autodiscover_modules("personal_data")
