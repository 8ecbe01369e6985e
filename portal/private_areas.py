"""The URL areas that hold a user's own data (or account secrets): one list for everyone.

Error reports scrub requests under them and robots.txt disallows them.
"""

PRIVATE_PREFIXES = ("/tracker/", "/accounts/", "/reminders/", "/calendar/", "/admin/")
