from django.urls import path

from perpetrators import views

app_name = "perpetrators"

urlpatterns = [
    path("", views.PerpetratorListView.as_view(), name="perpetrator-list"),
    path("<str:ref>/", views.PerpetratorDetailView.as_view(), name="perpetrator-detail"),
]
