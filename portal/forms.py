"""Form helpers shared by the apps."""

from django.core.exceptions import ValidationError


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (else above the form).

    Services validate the domain rules and raise ValidationError({field: messages}); a view
    hands it here so the user sees each message where it belongs and keeps what they typed.
    """
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
