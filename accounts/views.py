from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import DonorDetailsForm
from .services import DONOR_FIELDS, apply_donor_details


@login_required
def profile(request):
    """A donor's own details: the name and receipt details receipts and the tax export use."""
    user = request.user
    initial = {field: getattr(user, field) for field in DONOR_FIELDS}
    form = DonorDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        apply_donor_details(user=user, details=form.cleaned_data)
        messages.success(request, _("已更新您的資料。"))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
