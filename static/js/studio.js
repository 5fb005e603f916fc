// Studio's own script: submit-once forms, polling only while visible (the player lives in
// player.js). No inline handlers.
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

  // Live blocks poll every 2 s (hx-trigger="every 2s" data-poll) only while the tab is
  // visible. Here rather than as an hx-trigger filter, which htmx would have to eval and
  // the Content-Security-Policy forbids.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (document.visibilityState !== "visible" && elt.hasAttribute("data-poll")) {
      event.preventDefault();
    }
  });
})();
