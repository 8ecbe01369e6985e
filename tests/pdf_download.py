"""Ask for a PDF as a browser does, with the worker's task run in this process (eager).

The real worker is tests/tracker/test_pdf_jobs.py's business (and the e2e tests'); here the
tests read what a PDF says without starting one."""

from portal.celery import app


def pdf_download(client, url: str, **extra):
    """The file's response, or the first answer that is not the way to the waiting page."""
    app.conf.task_always_eager = True
    try:
        start = client.get(url, **extra)
    finally:
        app.conf.task_always_eager = False
    if start.status_code != 303:
        return start
    page = start["Location"]
    return client.get(f"{page}file/", **extra)
