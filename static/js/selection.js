// The library's selection: count what is ticked, enable the ZIP download. The grid is swapped
// by htmx (filters, "Load more", a finished generation), so the count is redrawn after each.
(function () {
  "use strict";

  function updateSelection() {
    var form = document.getElementById("selection");
    if (!form) return;
    // The checkboxes sit in the cards, joined to the form by their form attribute.
    var n = document.querySelectorAll("input[name=track][form=selection]:checked").length;
    var button = form.querySelector("[data-selection-submit]");
    var count = form.querySelector("[data-selection-count]");
    if (button) button.disabled = n === 0;
    if (count) count.textContent = n ? n + " selected" : "Select tracks to download them";
    form.classList.toggle("has-selection", n > 0);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("input[name=track][form=selection]")) updateSelection();
  });
  document.addEventListener("htmx:afterSettle", updateSelection);
  updateSelection();
})();
