from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Every app's personal_data.py registers what it stores about a user.
        autodiscover_modules("personal_data")
