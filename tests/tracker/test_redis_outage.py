def test_the_tracker_needs_no_redis(user_client, stop_redis):
    """Redis down: the cached parts (tracker/page_cache.py) are computed as without a cache;
    one warning for the request (fallback_cache stops trying after the first failure)."""
    logs = stop_redis()
    for path in ("/tracker/", "/tracker/nights/", "/tracker/doses/", "/tracker/export.csv"):
        assert user_client.get(path).status_code == 200
    assert {record.name for record in logs.records} == {"portal.fallback_cache"}
    assert len(logs.records) == 4
