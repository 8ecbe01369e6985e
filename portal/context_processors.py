import functools

from django.conf import settings

from portal import pwa


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "ARTICLES_PUBLIC": settings.ARTICLES_PUBLIC,
        "CSRF_COOKIE_NAME": settings.CSRF_COOKIE_NAME,
        "THEME_COLORS": pwa.THEME_COLORS,
        # The offline queue sends an entry only under the person who made it (templates
        # call this, so only pages that show the queue compute the tag).
        "PWA_VIEWER": functools.partial(pwa.viewer_tag, request.user),
    }
