from accounts.export_registry import export_for


def user_data_export(*, user) -> dict:
    """Everything the user owns, from every app's registered exporter."""
    return export_for(user)
