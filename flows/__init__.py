"""Cross-app flows: one user action that writes through more than one app's services.

The apps below know nothing of this package (``make lint`` enforces it): each app's own
writes stay in its ``services``; a flow only composes them in one transaction, like Zulip's
``zerver/actions`` and allauth's ``internal/flows``. The pages that start a flow live here
too (``flows/views.py``), so no app has to import upwards to offer them.

- ``onboarding``: the one screen after the first sign-in (profile, product, reminder);
- ``reminder_links``: what the "I took it" and "Skip tonight" email links do, and the
  reminder settings page (sleep schedule and both reminders);
- ``demo``: the demo logins `make run` creates.
"""
