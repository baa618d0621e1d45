// Honor cards: "select all" checkboxes, and keyboard shortcuts on the review screen.
// WCAG 2.1.4: a shortcut is never a single key (typing "a" anywhere must not approve an application):
// Alt+Shift+A approves, Alt+Shift+R moves to the reason, Ctrl+Enter in the reason returns; the
// "use shortcuts" box switches them off, and the choice is kept in this browser.
(function () {
  document.querySelectorAll(".hc-select-all").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[type=checkbox][name="' + box.dataset.target + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    });
  });
  var form = document.getElementById("review-form");
  if (!form) return;
  var reason = form.querySelector("textarea");
  var toggle = document.getElementById("hc-shortcuts");
  var STORE = "goodday.hc-shortcuts";
  try {
    if (toggle && window.localStorage.getItem(STORE) === "off") toggle.checked = false;
  } catch (e) { /* storage refused: shortcuts stay on for this page */ }
  if (toggle) {
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (e) { /* ignore */ }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (toggle && !toggle.checked) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target === reason) {
      event.preventDefault();
      document.getElementById("return-button").click();
      return;
    }
    if (!(event.altKey && event.shiftKey) || event.ctrlKey || event.metaKey) return;
    // event.code, not event.key: Alt+Shift changes the character a key produces on some layouts.
    if (event.code === "KeyA") {
      event.preventDefault();
      document.getElementById("approve-button").click();
    } else if (event.code === "KeyR") {
      event.preventDefault();
      if (reason) reason.focus();
    }
  });
})();
