"""API fixtures: tokens made through the service, and a client that sends them."""

import pytest
from django.test import Client

from api import services


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class ApiClient:
    """Django's test client with a token on every request and JSON bodies."""

    def __init__(self, secret: str):
        self.client = Client()
        self.secret = secret

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, **bearer(self.secret), **headers)

    def post(self, path, body, **headers):
        return self.client.post(
            path, body, content_type="application/json", **bearer(self.secret), **headers
        )


@pytest.fixture
def write_token(user):
    token, secret = services.token_create(user=user, name="Phone", scope="write", days=30)
    return token, secret


@pytest.fixture
def read_token(user):
    token, secret = services.token_create(user=user, name="Script", scope="read", days=90)
    return token, secret


@pytest.fixture
def api(write_token):
    return ApiClient(write_token[1])


@pytest.fixture
def read_api(read_token):
    return ApiClient(read_token[1])


@pytest.fixture
def other_api(other_user):
    _token, secret = services.token_create(user=other_user, name="Theirs", scope="write", days=30)
    return ApiClient(secret)
