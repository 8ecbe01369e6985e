from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = "Restwell"

    def ready(self):
        from portal import lookups, security_log  # noqa: F401 - registers `any_of`; receivers


class RestwellAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "portal.admin_site.RestwellAdminSite"
