"""The URL areas that hold a user's own data (or account secrets): one list for everyone.

Error reports scrub requests under them and robots.txt disallows them. /share/ holds the
reports users share with a clinician (sharing/).
"""

PRIVATE_PREFIXES = ("/tracker/", "/accounts/", "/reminders/", "/calendar/", "/share/", "/admin/")
