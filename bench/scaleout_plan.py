"""The scale-out rig's plan: hosts, addresses, each role's environment, the reverse proxy's
configuration, and the reading of the SMTP sink's log. Pure functions, no side effects, so
`tests/bench/test_scaleout_plan.py` can check them (and that docs/deploy.md shows the same
proxy configuration the rig runs).
"""

import dataclasses
import math
import statistics
from collections import Counter
from collections.abc import Iterable

SUBNET = "10.77.0"
BRIDGE_ADDRESS = f"{SUBNET}.1"  # the operator's machine (the root namespace) on the bridge
HOSTS = {
    "db": 2,  # PostgreSQL, Redis and the SMTP sink
    "proxy": 10,
    "web1": 11,
    "web2": 12,
    "worker1": 21,
    "worker2": 22,
    "worker3": 23,
    "beat": 30,
}
WEB_HOSTS = ("web1", "web2")
WORKER_HOSTS = ("worker1", "worker2", "worker3")
SITE_HOST = "restwell.test"
WEB_PORT = 8000
SMTP_PORT = 2525
PG_PORT = 5432
REDIS_PORT = 6379


def address(host: str) -> str:
    return f"{SUBNET}.{HOSTS[host]}"


def host_of(ip: str) -> str:
    """The host name of an address on the rig's subnet (the sink logs peers by address)."""
    for host in HOSTS:
        if address(host) == ip:
            return host
    return ip


def app_environment(*, secret_key: str, web_concurrency: int = 2) -> dict[str, str]:
    """What every Restwell process on every host gets: production settings, the shared
    PostgreSQL and Redis on host `db`, one proxy in front (TLS ends there)."""
    db = address("db")
    return {
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": SITE_HOST,
        "SITE_URL": f"https://{SITE_HOST}",
        "DATABASE_URL": f"postgres://postgres@{db}:{PG_PORT}/restwell",
        "REDIS_URL": f"redis://{db}:{REDIS_PORT}",
        "EMAIL_URL": f"smtp://{db}:{SMTP_PORT}",
        "DEFAULT_FROM_EMAIL": f"Restwell <no-reply@{SITE_HOST}>",
        "TRUSTED_PROXY_COUNT": "1",
        "FORWARDED_ALLOW_IPS": address("proxy"),
        "WEB_CONCURRENCY": str(web_concurrency),
        "LOG_LEVEL": "WARNING",
    }


def web_environment(host: str, **kwargs) -> dict[str, str]:
    return app_environment(**kwargs) | {"GUNICORN_BIND": f"{address(host)}:{WEB_PORT}"}


@dataclasses.dataclass(frozen=True)
class ProxyPlan:
    """What differs between the rig and a production proxy: addresses, the certificate,
    where the admin socket lives."""

    listen: str  # address the public side binds (":443" for all)
    certificate: str  # PEM with the certificate chain and its key
    backends: tuple[tuple[str, str], ...]  # (name, "address:port") of each gunicorn
    admin_socket: str
    site_host: str = SITE_HOST
    http_reuse: str = "never"  # "safe" only to measure what "never" avoids


def haproxy_config(plan: ProxyPlan) -> str:
    """HAProxy 2.6 (Debian 12) in front of gunicorn.

    - TLS ends here; plain HTTP is redirected; the app is told the scheme and one proxy hop
      (X-Forwarded-Proto, X-Forwarded-For: TRUSTED_PROXY_COUNT=1, FORWARDED_ALLOW_IPS).
    - Health: GET /healthz/ready/ every second: 200 while the host and its database answer,
      whatever Redis does (every host shares Redis and the pages degrade without it, so a
      Redis outage never empties the pool); 2 failures mark a host down, 2 successes bring it
      back. A check may take 3 s to answer (it waits behind real requests in a busy host's
      sync workers: a busy host is not a dead one), but must connect within 1 s.
    - A new connection per request to the web hosts (`http-reuse never`): a request routed to
      a host that has vanished then fails at connect (1 s) and is retried on the other one,
      instead of waiting the server timeout on a reused connection to nobody.
    - Retries: a failed connect, and for GET/HEAD also an empty answer or a timeout, are
      retried on another host (`redispatch`); a POST is never sent twice.
    """
    servers = "\n".join(
        f"    server {name} {target} check inter 1s fastinter 500ms fall 2 rise 2"
        for name, target in plan.backends
    )
    listen = plan.listen
    check_headers = f"hdr Host {plan.site_host} hdr X-Forwarded-Proto https"
    return f"""\
global
    log stdout format raw local0 warning
    stats socket {plan.admin_socket} mode 600 level admin
    maxconn 2000
    ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 1s
    timeout client 30s
    timeout server 35s
    timeout http-request 10s
    timeout http-keep-alive 5s
    timeout queue 10s
    timeout check 3s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend public
    bind {listen}:80
    bind {listen}:443 ssl crt {plan.certificate} alpn h2,http/1.1
    http-request redirect scheme https code 301 unless {{ ssl_fc }}
    http-request set-header X-Forwarded-Proto https
    http-request del-header X-Forwarded-For
    option forwardfor
    default_backend web

backend web
    balance leastconn
    http-reuse {plan.http_reuse}
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    option httpchk
    http-check send meth GET uri /healthz/ready/ ver HTTP/1.1 {check_headers}
    http-check expect status 200
    default-server maxconn 32
{servers}
"""


@dataclasses.dataclass
class SinkTally:
    """What the SMTP sink accepted for one set of recipients."""

    accepted: int  # messages
    distinct: int  # recipients
    by_host: dict[str, int]
    first: float | None
    last: float | None

    @property
    def duplicates(self) -> int:
        return self.accepted - self.distinct

    def lost(self, expected: int) -> int:
        return expected - self.distinct


def sink_tally(lines: Iterable[str], *, recipient_prefix: str) -> SinkTally:
    """Read the sink's log ("<unix time> <peer address> <recipient>" per accepted message)
    for the recipients starting with `recipient_prefix`."""
    per_recipient: Counter[str] = Counter()
    by_host: Counter[str] = Counter()
    first = last = None
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or not parts[2].startswith(recipient_prefix):
            continue
        at = float(parts[0])
        per_recipient[parts[2]] += 1
        by_host[host_of(parts[1])] += 1
        first = at if first is None else min(first, at)
        last = at if last is None else max(last, at)
    return SinkTally(
        accepted=sum(per_recipient.values()),
        distinct=len(per_recipient),
        by_host=dict(sorted(by_host.items())),
        first=first,
        last=last,
    )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def table(rows: list[tuple[str, str]], headers: tuple[str, str] = ("measure", "result")) -> str:
    """A Markdown table, ready for bench/README.md."""
    width = max(len(headers[0]), *(len(label) for label, _ in rows))
    lines = [f"| {headers[0]:<{width}} | {headers[1]} |", f"|{'-' * (width + 2)}|--------|"]
    lines += [f"| {label:<{width}} | {value} |" for label, value in rows]
    return "\n".join(lines)
