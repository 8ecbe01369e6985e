def test_the_tracker_needs_no_redis(user_client, stop_redis):
    logs = stop_redis()
    assert user_client.get("/tracker/").status_code == 200
    assert logs.records == []
