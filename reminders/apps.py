from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self):
        from reminders import receivers  # noqa: F401 - connects the signal receivers
