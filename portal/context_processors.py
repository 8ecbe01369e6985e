from django.conf import settings

from portal import pwa


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "ARTICLES_PUBLIC": settings.ARTICLES_PUBLIC,
        "THEME_COLORS": pwa.THEME_COLORS,
    }
