// Hands the donor to the payment gateway without a second click; the button stays for no-JS users.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
});
