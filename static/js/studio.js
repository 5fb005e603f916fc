// Studio's own script: submit-once forms, Escape for the ⋯ menus, history copies without
// inline styles, polling only while visible (the player lives in player.js). No inline handlers.
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

  // Escape closes the open ⋯ menu (a <details>, which has no key of its own to close) and
  // gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var focused = document.activeElement;
    var menu = (focused && focused.closest && focused.closest("details.track-menu[open]")) ||
      document.querySelector("details.track-menu[open]");
    if (!menu) return;
    event.preventDefault();
    menu.open = false;
    menu.querySelector("summary").focus();
  });

  // htmx keeps a copy of #main's HTML for Back / Forward. What our scripts drew through
  // element.style (a playhead, a marker, a slider's fill) would be in it as style=""
  // attributes, which the Content-Security-Policy refuses when the copy is put back. So the
  // copy is taken without them (the scripts draw them again on the restored page); the page
  // being left gets them back at once, in case it stays.
  document.addEventListener("htmx:beforeHistorySave", function (event) {
    var styled = Array.prototype.map.call(event.detail.historyElt.querySelectorAll("[style]"),
      function (el) { return [el, el.getAttribute("style")]; });
    styled.forEach(function (pair) { pair[0].removeAttribute("style"); });
    setTimeout(function () {
      styled.forEach(function (pair) { pair[0].style.cssText = pair[1]; });  // CSSOM: allowed
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
