"""Error reports never carry health data: POST bodies and local variables are scrubbed."""

from django.views.debug import SafeExceptionReporterFilter

from portal.private_areas import PRIVATE_PREFIXES


def _is_private(request) -> bool:
    return request is not None and request.path.startswith(PRIVATE_PREFIXES)


class HealthDataExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if _is_private(request):
            return {key: self.cleansed_substitute for key in request.POST}
        return super().get_post_parameters(request)

    def get_traceback_frame_variables(self, request, tb_frame):
        if _is_private(request):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)
