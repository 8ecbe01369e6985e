"""The load mix for bench/load.py (Locust, FastHttpUser). Not run on its own: bench/load.py seeds
the users, starts gunicorn and passes their sessions in LOAD_SESSIONS (a JSON file).

Mix, by weight: dashboard 30, night and dose lists 25, an article 15, the night and dose forms 20
(opening each form, and "I took it" with the saved product), reminder settings 5, CSV export 5.
LOAD_MIX=hello replaces it with the bare "hello" view: the floor of the same server.
"""

import itertools
import json
import os
import secrets

from locust import FastHttpUser, between, constant, task

SEED = json.loads(open(os.environ["LOAD_SESSIONS"]).read())  # noqa: SIM115, PTH123
_next_session = itertools.count()


class SignedInUser(FastHttpUser):
    """One seeded person with a year of nights and doses, on a phone: a short think time."""

    wait_time = between(0.0, 0.2)
    abstract = os.environ.get("LOAD_MIX") == "hello"

    def on_start(self):
        session = SEED["sessions"][next(_next_session) % len(SEED["sessions"])]
        # An unmasked 32-character CSRF secret is valid as both cookie and form field.
        self.csrf = secrets.token_hex(16)
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={self.csrf}"}
        self.articles = itertools.cycle(SEED["articles"])

    def _get(self, path, name=None):
        self.client.get(path, headers=self.headers, name=name or path)

    @task(30)
    def dashboard(self):
        self._get("/tracker/")

    @task(13)
    def night_list(self):
        self._get("/tracker/nights/")

    @task(12)
    def dose_list(self):
        self._get("/tracker/doses/")

    @task(15)
    def article(self):
        self._get(f"/articles/{next(self.articles)}/", name="/articles/<slug>/")

    @task(5)
    def night_form(self):
        self._get("/tracker/nights/new/")

    @task(5)
    def dose_form(self):
        self._get("/tracker/doses/new/")

    @task(10)
    def dose_now(self):
        # "I took it": a POST, then the redirect to the dashboard, as a browser does.
        self.client.post(
            "/tracker/doses/now/",
            data={"csrfmiddlewaretoken": self.csrf},
            headers=self.headers,
            name="/tracker/doses/now/ (POST)",
        )

    @task(5)
    def reminder_settings(self):
        self._get("/reminders/")

    @task(5)
    def export_csv(self):
        self._get("/tracker/export.csv")


class HelloUser(FastHttpUser):
    """The floor: the bare view on the same gunicorn, no session, no database, no think time:
    its requests/s is what this server can answer at all."""

    wait_time = constant(0)
    abstract = os.environ.get("LOAD_MIX") != "hello"

    @task
    def hello(self):
        self.client.get("/bench/hello/")
