from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("accounts/shares/", views.shares, name="shares"),
    path("accounts/shares/<int:pk>/revoke/", views.share_revoke, name="revoke"),
    path("accounts/fhir.json", views.fhir_download, name="fhir"),
    path("share/<str:token>/", views.share_open, name="open"),
    path("share/<str:token>/report.pdf", views.share_pdf, name="pdf"),
    path("share/<str:token>/pdf/<slug:job>/", views.share_pdf_job, name="pdf_job"),
    path(
        "share/<str:token>/pdf/<slug:job>/status/",
        views.share_pdf_job_status,
        name="pdf_job_status",
    ),
    path("share/<str:token>/pdf/<slug:job>/file/", views.share_pdf_job_file, name="pdf_job_file"),
    path("share/<str:token>/fhir.json", views.share_fhir, name="fhir_shared"),
]
