from django.urls import path

from victims import views

app_name = "victims"

urlpatterns = [
    path("", views.VictimListView.as_view(), name="victim-list"),
    path("<str:ref>/", views.VictimDetailView.as_view(), name="victim-detail"),
]
