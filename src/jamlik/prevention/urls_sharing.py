"""URL patterns of the plan sharing pages, added to the prevention namespace (issue 18)."""

from django.urls import URLPattern, path

from jamlik.prevention import sharing_views

urlpatterns: list[URLPattern] = [
    path("delade-planer/", sharing_views.shared_list, name="shared-plans"),
    path("delade-planer/<int:pk>/", sharing_views.shared_detail, name="shared-plan"),
    path("planer/<int:pk>/dela/", sharing_views.share, name="plan-share"),
]
