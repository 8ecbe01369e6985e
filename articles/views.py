from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles import page_cache, selectors


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
    context = page_cache.article_list(
        query=request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH],
        tag=request.GET.get("tag", "").strip()[:60],
        page_number=request.GET.get("page"),
    )
    context["canonical_url"] = selectors.absolute_url(request.path)
    return render(request, "articles/article_list.html", context)


@require_GET
@readers_only
def article_detail(request, slug):
    page = page_cache.article_page(slug=slug, user=request.user)
    return render(request, "articles/article_detail.html", {"page": page})
