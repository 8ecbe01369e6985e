"""`make bench`: run every bench/bench_*.py in turn; each prints its own table.

Benchmarks are separate programs (not tests): they start their own servers and data, and
report medians. Run one alone with `.venv/bin/python bench/bench_<name>.py`.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from portal import embedded_redis  # noqa: E402

LOCAL_REDIS = "redis://127.0.0.1:6379"


def _redis_for_benchmarks() -> tuple[str, object]:
    """The Redis the benchmarks talk to: REDIS_URL, else 127.0.0.1:6379, else an embedded one."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"], None
    if embedded_redis.reachable(LOCAL_REDIS):
        return LOCAL_REDIS, None
    sock = Path(tempfile.mkdtemp(prefix="rw-bench-", dir="/tmp")) / "redis.sock"  # noqa: S108
    return f"unix://{sock}", embedded_redis.start(sock=sock, data_dir=sock.parent)


def _postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
        return True
    except psycopg.OperationalError:
        return False


def main() -> int:
    redis_url, redis_process = _redis_for_benchmarks()
    env = os.environ | {"REDIS_URL": redis_url, "BENCH_REDIS_URL": redis_url}
    failed = []
    try:
        for script in sorted(HERE.glob("bench_*.py")):
            print(f"\n### {script.stem}\n", flush=True)
            if script.stem == "bench_reminders" and not _postgres_reachable():
                print("skipped: needs PostgreSQL at 127.0.0.1:5432 (user postgres)", flush=True)
                continue
            if subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=env).returncode:
                failed.append(script.name)
    finally:
        if redis_process is not None:
            embedded_redis.stop(
                redis_process, socket_dir=Path(redis_url.removeprefix("unix://")).parent
            )
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
