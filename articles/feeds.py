"""RSS 2.0 of live articles: title, summary and absolute link (from SITE_URL) of each."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import selectors

FEED_SIZE = 20


class ArticleFeed(Feed):
    title = _("Restwell articles")
    description = _(
        "Sourced, reviewed articles about restless legs, sleep and magnesium from Restwell."
    )

    def link(self):
        return selectors.absolute_url(reverse("articles:list"))

    def feed_url(self):
        return selectors.absolute_url(reverse("articles:feed"))

    def items(self):
        return selectors.catalogue()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return selectors.absolute_url(item.url)

    def item_guid(self, item):
        return selectors.absolute_url(item.url)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [name for _, name in item.tags]
