"""The embedded Redis a fresh laptop gets when REDIS_URL is unset."""

import shutil
import tempfile
from pathlib import Path

import redis
from kombu import Connection

from portal import embedded_redis


def test_urls_for_a_tcp_redis():
    assert embedded_redis.db_url("redis://127.0.0.1:6379", 2) == "redis://127.0.0.1:6379/2"
    assert embedded_redis.celery_url("redis://h:6379/0", 1) == "redis://h:6379/1"


def test_embedded_redis_serves_cache_broker_and_results_on_separate_databases():
    with tempfile.TemporaryDirectory(prefix="rw-", dir="/tmp") as tmp:
        sock = Path(tmp) / "redis.sock"
        process = embedded_redis.start(sock=sock, data_dir=Path(tmp))
        try:
            base = f"unix://{sock}"
            cache_client = redis.Redis.from_url(embedded_redis.db_url(base, 2))
            cache_client.set("k", "cache")
            assert redis.Redis.from_url(embedded_redis.db_url(base, 0)).get("k") is None
            with Connection(embedded_redis.celery_url(base, 0)) as broker:
                with broker.SimpleQueue("q") as queue:
                    queue.put({"hello": "world"})
                    cache_client.flushdb()  # a cache flush never touches the broker's queues
                    message = queue.get(timeout=2)
                    message.ack()
                    assert message.payload == {"hello": "world"}
        finally:
            embedded_redis.stop(process)
        assert process.poll() is not None


def test_stopping_removes_the_temporary_socket_directory():
    socket_dir = Path(tempfile.mkdtemp(prefix="rw-", dir="/tmp"))  # noqa: S108 - short path
    data_dir = Path(tempfile.mkdtemp(prefix="rw-data-"))
    try:
        process = embedded_redis.start(sock=socket_dir / "redis.sock", data_dir=data_dir)
        embedded_redis.stop(process, socket_dir=socket_dir)
        assert process.poll() is not None
        assert not socket_dir.exists()
        assert data_dir.exists()  # the data is not the socket's to remove
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
