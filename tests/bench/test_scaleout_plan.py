"""The scale-out rig's pure parts: the proxy configuration (the one docs/deploy.md shows),
each role's environment, and the reading of the SMTP sink's log."""

import shutil
import subprocess
from pathlib import Path

import pytest

from bench import scaleout_plan as plan

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
PRODUCTION = plan.ProxyPlan(
    listen="",
    certificate="/etc/haproxy/certs/restwell.pem",
    backends=(("web1", "10.0.0.11:8000"), ("web2", "10.0.0.12:8000")),
    admin_socket="/run/haproxy/admin.sock",
    site_host="restwell.example",
)


def test_deploy_doc_shows_the_configuration_the_rig_runs():
    assert plan.haproxy_config(PRODUCTION) in DOCS.read_text()


def test_every_web_host_is_health_checked_and_gets_the_forwarded_scheme():
    config = plan.haproxy_config(PRODUCTION)
    assert "server web1 10.0.0.11:8000 check" in config
    assert "server web2 10.0.0.12:8000 check" in config
    assert "uri /healthz/ready/" in config  # the host and its database, not Redis
    assert "hdr Host restwell.example" in config
    assert "http-request set-header X-Forwarded-Proto https" in config
    assert "disable-l7-retry unless METH_GET || METH_HEAD" in config  # a POST never twice


@pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy is not installed")
def test_haproxy_accepts_the_configuration(tmp_path):
    pem = tmp_path / "site.pem"
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=restwell.test", "-keyout", str(pem), "-out", str(pem)],
        check=True, capture_output=True,
    )  # fmt: skip
    config = tmp_path / "haproxy.cfg"
    rig = plan.ProxyPlan(
        listen="127.0.0.1",
        certificate=str(pem),
        backends=(("web1", "127.0.0.1:1"),),
        admin_socket=str(tmp_path / "admin.sock"),
    )
    config.write_text(plan.haproxy_config(rig))
    result = subprocess.run(  # noqa: S603
        ["haproxy", "-c", "-f", str(config)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_role_reaches_the_shared_database_redis_and_smtp_on_host_db():
    env = plan.web_environment("web2", secret_key="k" * 50)
    assert env["DATABASE_URL"] == "postgres://postgres@10.77.0.2:5432/restwell"
    assert env["REDIS_URL"] == "redis://10.77.0.2:6379"
    assert env["EMAIL_URL"] == "smtp://10.77.0.2:2525"
    assert env["GUNICORN_BIND"] == "10.77.0.12:8000"
    assert env["DEBUG"] == "false"
    assert (env["TRUSTED_PROXY_COUNT"], env["FORWARDED_ALLOW_IPS"]) == ("1", "10.77.0.10")


def test_sink_tally_counts_duplicates_losses_and_senders():
    lines = [
        "100.5 10.77.0.21 tick-0@example.com",
        "101.0 10.77.0.22 tick-1@example.com",
        "102.0 10.77.0.22 tick-1@example.com",  # a duplicate
        "103.0 10.77.0.23 lost-0@example.com",  # another round
        "garbage",
    ]
    got = plan.sink_tally(lines, recipient_prefix="tick-")
    assert (got.accepted, got.distinct, got.duplicates) == (3, 2, 1)
    assert got.lost(3) == 1
    assert got.by_host == {"worker1": 1, "worker2": 2}
    assert (got.first, got.last) == (100.5, 102.0)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert plan.percentile(values, 0.95) == 95.0
    assert plan.percentile(values, 0.5) == 50.0
    assert plan.percentile([], 0.95) == 0.0
