from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("accounts/shares/", views.shares, name="shares"),
    path("accounts/shares/<int:pk>/revoke/", views.share_revoke, name="revoke"),
    path("accounts/fhir.json", views.fhir_download, name="fhir"),
    path("share/<str:token>/", views.share_open, name="open"),
    path("share/<str:token>/report.pdf", views.share_pdf, name="pdf"),
    path("share/<str:token>/fhir.json", views.share_fhir, name="fhir_shared"),
]
