// The library's selection: count what is ticked, enable the ZIP download. The grid is swapped
// by htmx (filters, "Load more", a finished generation), so the count is redrawn after each.
(function () {
  "use strict";

  function updateSelection() {
    var form = document.getElementById("selection");
    if (!form) return;
    // The checkboxes sit in the cards, joined to the form by their form attribute: the
    // form's elements include them although they are not inside it.
    var n = Array.prototype.filter.call(form.elements, function (el) {
      return el.name === "track" && el.checked;
    }).length;
    var button = form.querySelector("[data-selection-submit]");
    var count = form.querySelector("[data-selection-count]");
    if (button) button.disabled = n === 0;
    if (count) count.textContent = n ? n + " selected" : "Select tracks to download them";
    form.classList.toggle("has-selection", n > 0);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (event.target.name === "track" && form && form.matches("#selection")) updateSelection();
  });
  document.addEventListener("htmx:afterSettle", updateSelection);
  updateSelection();
})();
