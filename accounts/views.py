from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .services import DONOR_FIELDS, apply_donor_details, remember_language


@login_required
def profile(request):
    """A donor's own details: the name and receipt details receipts and the tax export use, and the
    language of their e-mails (which becomes the page's language too)."""
    user = request.user
    initial = {field: getattr(user, field) for field in (*DONOR_FIELDS, "language")}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        apply_donor_details(user=user, details=form.cleaned_data)
        remember_language(user=user, language=form.cleaned_data["language"] or user.language)
        messages.success(request, _("已更新您的資料。"))
        response = redirect("profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})
