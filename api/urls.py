"""The token page (mounted under /accounts/) and the API itself (mounted at /api/v1/)."""

from django.urls import path

from api import views
from api.endpoints import api

app_name = "api"

account_urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

api_urls = api.urls
