"""URL patterns of the plan dialogue pages, added to the prevention namespace (issue 18)."""

from django.urls import URLPattern, path

from jamlik.prevention import dialogue_views

urlpatterns: list[URLPattern] = [
    path(
        "planer/<int:pk>/steg/<int:number>/dialog/",
        dialogue_views.step_dialogue,
        name="plan-dialogue",
    ),
    path(
        "planer/<int:pk>/steg/<int:number>/dialog/svar/",
        dialogue_views.reply,
        name="plan-dialogue-reply",
    ),
    path(
        "planer/<int:pk>/steg/<int:number>/dialog/<int:comment>/ta-tillbaka/",
        dialogue_views.withdraw,
        name="plan-dialogue-withdraw",
    ),
]
