from django.urls import path

from jamlik.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("nycklar/aterkalla/", views.revoke_token, name="revoke_token"),
]
