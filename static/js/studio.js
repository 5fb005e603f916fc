// Studio's own script: submit-once forms (the player lives in player.js). No inline handlers.
(function () {
  "use strict";

  // A form marked data-once sends once: a double click does not make two generations
  // (the server also de-duplicates by the form's token).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.disabled = true; b.textContent = "Starting…";
    });
  });
})();
