"""/sitemap.xml and /robots.txt: public pages only; articles only when ARTICLES_PUBLIC.

Absolute URLs come from SITE_URL (not the request's Host header, which a client controls).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles import selectors
from portal.private_areas import PRIVATE_PREFIXES


class _SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class PublicPagesSitemap(_SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        names = ["home", "privacy"]
        if settings.ARTICLES_PUBLIC:
            names.append("articles:list")
        return names

    def location(self, item):
        return reverse(item)


class ArticleSitemap(_SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        return selectors.catalogue() if settings.ARTICLES_PUBLIC else []

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": PublicPagesSitemap, "articles": ArticleSitemap}


@require_safe
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)


@require_safe
def robots_txt(request):
    disallowed = list(PRIVATE_PREFIXES)
    if not settings.ARTICLES_PUBLIC:
        disallowed.append(reverse("articles:list"))
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in disallowed)]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
