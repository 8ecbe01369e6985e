from django.urls import path

from tracker.views import dashboard, entries, experiment, extras, reports, sleep_import

app_name = "tracker"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("log/", extras.log, name="log"),
    path("nights/", entries.night_list, name="night_list"),
    path("nights/new/", entries.night_new, name="night_new"),
    path("nights/<int:pk>/edit/", entries.night_edit, name="night_edit"),
    path("nights/<int:pk>/delete/", entries.night_delete, name="night_delete"),
    path("doses/", entries.dose_list, name="dose_list"),
    path("doses/new/", entries.dose_new, name="dose_new"),
    path("doses/now/", entries.dose_quick, name="dose_quick"),
    path("doses/<int:pk>/undo/", entries.dose_undo, name="dose_undo"),
    path("doses/<int:pk>/edit/", entries.dose_edit, name="dose_edit"),
    path("doses/<int:pk>/delete/", entries.dose_delete, name="dose_delete"),
    path("product/", extras.product, name="product"),
    path("medicines/", extras.medicines, name="medicines"),
    path("medicines/<int:pk>/delete/", extras.medicine_delete, name="medicine_delete"),
    path("labs/", extras.labs, name="labs"),
    path("iron/", extras.iron_product, name="iron"),
    path("labs/<int:pk>/delete/", extras.lab_delete, name="lab_delete"),
    path("trial/", extras.trial, name="trial"),
    path("experiment/", experiment.experiment, name="experiment"),
    path("experiment/start/", experiment.experiment_start, name="experiment_start"),
    path("experiment/look/", experiment.experiment_look, name="experiment_look"),
    path("experiment/amend/", experiment.experiment_amend, name="experiment_amend"),
    path("experiment/stop/", experiment.experiment_stop, name="experiment_stop"),
    path("experiment/discard/", experiment.experiment_discard, name="experiment_discard"),
    path("experiment/report/", experiment.experiment_report, name="experiment_report"),
    path("experiment/capsule/", experiment.experiment_capsule, name="experiment_capsule"),
    path(
        "experiment/helper-sheet/",
        experiment.experiment_helper_sheet,
        name="experiment_helper_sheet",
    ),
    path("import/", sleep_import.sleep_import_upload, name="sleep_import"),
    path("import/<int:pk>/", sleep_import.sleep_import_review, name="sleep_import_review"),
    path("import/<int:pk>/delete/", sleep_import.sleep_import_delete, name="sleep_import_delete"),
    path("export.csv", reports.export_csv, name="export_csv"),
    path("report/", reports.report, name="report"),
    path("report.pdf", reports.report_pdf, name="report_pdf"),
    path("pdf/<slug:job>/", reports.pdf_job, name="pdf_job"),
    path("pdf/<slug:job>/status/", reports.pdf_job_status, name="pdf_job_status"),
    path("pdf/<slug:job>/file/", reports.pdf_job_file, name="pdf_job_file"),
]
