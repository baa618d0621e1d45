// Honor cards: "select all" checkboxes and keyboard shortcuts on the review screen (A approve, R return).
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
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target === reason) {
      event.preventDefault();
      document.getElementById("return-button").click();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "a" || event.key === "A") {
      event.preventDefault();
      document.getElementById("approve-button").click();
    } else if (event.key === "r" || event.key === "R") {
      event.preventDefault();
      if (reason) reason.focus();
    }
  });
})();
