// A form that sends the creator back to the page they were on (like, rename, a share link,
// a playlist's order, a cover picked, stems started) leaves them where they were. A boosted
// swap of #main (player.js) would scroll to the page's top and drop the focus on <body>: a
// share link made half a page down, or a track moved in a long playlist, was out of sight,
// and the keyboard started again from the top. Here the scroll stays, and the focus goes back
// to the same button (the same form's, or its closed menu's), else to the page's message (a
// track moved to the trash, in words), else to its section's first control.
(function () {
  "use strict";

  var pending = null;  // {form, page, action, label, section} of the form being sent

  var FOCUSABLE = "input:not([type=hidden]), select, textarea, button, a[href], summary, [tabindex]";

  function label(el) {
    return el ? (el.getAttribute("aria-label") || el.textContent || "").trim() : "";
  }

  function shown(el) { return el.getClientRects().length > 0; }

  // A control in a closed <details> (a card's ⋯ menu) cannot take the focus: its summary can.
  function reachable(el) {
    var closed = null;
    for (var up = el.parentElement; up; up = up.parentElement) {
      if (up.matches("details:not([open])")) closed = up;
    }
    var target = closed ? closed.querySelector("summary") : el;
    return target && shown(target) ? target : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail, form = detail.elt;
    pending = null;
    if (!detail.boosted || detail.verb === "get" || !form.matches("form")) return;
    var submitter = detail.triggeringEvent && detail.triggeringEvent.submitter;
    var section = form.parentElement && form.parentElement.closest("#main [id]");
    pending = { form: form, page: location.pathname, action: form.getAttribute("action") || "",
                label: label(submitter), section: section ? section.id : "" };
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!pending || detail.requestConfig.elt !== pending.form) return;
    var path = (detail.pathInfo.responsePath || "").split("?")[0];
    // player.js has made it a swap of #main; the same page again keeps its scroll.
    if (detail.shouldSwap && detail.swapOverride === "outerHTML" && path === pending.page) {
      detail.swapOverride = "outerHTML show:none";
    } else {
      pending = null;
    }
  });

  function findAgain(main, sent) {
    if (sent.action) {
      var buttons = [];
      main.querySelectorAll("form").forEach(function (form) {
        if (form.getAttribute("action") !== sent.action) return;
        form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
          buttons.push(b);
        });
      });
      var same = buttons.filter(function (b) { return label(b) === sent.label; });
      var found = same.concat(buttons).map(reachable).filter(Boolean)[0];
      if (found) return found;
    }
    var said = main.querySelector(".messages");
    if (said) {
      said.setAttribute("tabindex", "-1");
      return said;
    }
    var section = sent.section && document.getElementById(sent.section);
    if (section && main.contains(section)) {
      var first = Array.prototype.filter.call(section.querySelectorAll(FOCUSABLE), shown)[0];
      if (first) return first;
      section.setAttribute("tabindex", "-1");
      return section;
    }
    return null;
  }

  document.addEventListener("htmx:afterSettle", function () {
    var sent = pending, main = document.getElementById("main");
    if (!sent || !main || sent.form.isConnected) return;
    pending = null;
    // An [autofocus] in the new page (a refused title) has already taken the focus.
    if (document.activeElement && document.activeElement !== document.body) return;
    var target = findAgain(main, sent);
    if (target) target.focus({ preventScroll: false });
  });
})();
