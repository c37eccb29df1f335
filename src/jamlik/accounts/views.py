"""Log in and out (Django's views, our templates), and the user's own account page.

Logins are throttled in :mod:`jamlik.accounts.backends`; a refused attempt is answered
429 with ``Retry-After`` here, with the reason in words.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.accounts import tokens
from jamlik.accounts.forms import TokenForm
from jamlik.accounts.models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):  # noqa: ANN001, ANN201 - Django's signature
        refusal = getattr(self.request, "login_refusal", None)
        if refusal is None:
            return super().form_invalid(form)
        if refusal.reason == "busy":
            text = _("The server is busy checking other logins. Try again in a moment.")
        else:
            text = _(
                "Too many failed attempts for this user name. Try again in %(seconds)s "
                "seconds, or ask an administrator to unlock it."
            ) % {"seconds": refusal.retry_after}
        form.errors.clear()
        form.add_error(None, text)
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's own page: roles, and API tokens (created, listed, revoked)."""
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        token, new_secret = tokens.create_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "roles": request.user.roles.select_related("area"),
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": form,
        "new_secret": new_secret,
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest) -> HttpResponse:
    """Revoke one of the user's own tokens (its id in the form; others' ids are 404)."""
    pk = request.POST.get("token", "")
    token = get_object_or_404(ApiToken, pk=int(pk) if pk.isdigit() else 0, user=request.user)
    tokens.revoke(token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:account")
