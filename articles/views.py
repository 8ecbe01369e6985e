from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles import page_cache, selectors

PAGE_SIZE = 10


def readers_only(view):
    """Signed-in readers only, unless ARTICLES_PUBLIC opens the articles to everyone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.ARTICLES_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@readers_only
def article_list(request):
    query = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    tag = request.GET.get("tag", "").strip()[:60]
    all_cards = selectors.catalogue()
    cards = selectors.article_cards(query=query, tag=tag, cards=all_cards)
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    tags = selectors.catalogue_tags(all_cards)
    return render(
        request,
        "articles/article_list.html",
        {
            "page": page,
            "query": query,
            "tag": tag,
            "tag_name": dict(tags).get(tag, ""),
            "tags": tags,
            "canonical_url": selectors.absolute_url(request.path),
        },
    )


@require_GET
@readers_only
def article_detail(request, slug):
    page = page_cache.article_page(slug=slug, user=request.user)
    return render(request, "articles/article_detail.html", {"page": page})
