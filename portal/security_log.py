"""Security events go to the log with user id and client IP — never passwords or health data."""

import logging

from allauth.account.signals import user_logged_in
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from portal.client_ip import client_ip

logger = logging.getLogger("restwell.security")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user_id = (
        get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        if email
        else None
    )
    logger.warning("login failed user_id=%s ip=%s", user_id, client_ip(request))


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info("login user_id=%s ip=%s", user.pk, client_ip(request))


def log_permission_denied(request) -> None:
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    logger.warning(
        "permission denied user_id=%s ip=%s path=%s", user_id, client_ip(request), request.path
    )
