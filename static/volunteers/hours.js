// Service records: the "select all" box above the certify column (no inline script: CSP).
(function () {
  document.querySelectorAll(".select-all").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[type=checkbox][name="' + box.dataset.target + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    });
  });
})();
