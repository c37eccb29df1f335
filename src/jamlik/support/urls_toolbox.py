"""URL patterns of the toolbox pages, added to the support namespace (issue 18)."""

from django.urls import URLPattern, path

from jamlik.support import toolbox_views

urlpatterns: list[URLPattern] = [
    path("verktygslada/", toolbox_views.library, name="toolbox"),
    path("verktygslada/ny/", toolbox_views.edit, name="toolbox-add"),
    path("verktygslada/<int:pk>/", toolbox_views.detail, name="toolbox-item"),
    path("verktygslada/<int:pk>/andra/", toolbox_views.edit, name="toolbox-edit"),
    path("verktygslada/<int:pk>/ta-bort/", toolbox_views.delete, name="toolbox-delete"),
]
