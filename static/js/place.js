// A form that sends the creator back to the page they were on (like, rename, a share link,
// a playlist's order, a cover picked, stems started) leaves them where they were. A boosted
// swap of #main (player.js) would scroll to the page's top and drop the focus on <body>: a
// share link made half a page down, or a track moved in a long playlist, was out of sight,
// and the keyboard started again from the top. Here the scroll stays, and the focus goes back
// to the same button (the same form's, or its closed menu's), else to the page's message (a
// track moved to the trash, in words), else to the same place in the same list (a track
// removed from a playlist: the next one's button, or the one before the last), else to its
// section's first control, else to the page's heading (a playlist emptied).
// A form htmx sends and swaps itself (a track's title renamed on its page) loses the focus
// the same way when the answer replaces it, and gets it back the same way.
(function () {
  "use strict";

  var pending = null;  // {form, boosted, page, action, label, row, sections} of the form sent

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

  // Where a form sits in a list of like rows (a playlist's entries): the list, told from the
  // page's others by its tag and classes, and the row's place in it. The list that comes back
  // is a new element; this finds it again.
  function listKey(list) {
    return list.tagName.toLowerCase() + Array.prototype.map.call(list.classList, function (c) {
      return "." + CSS.escape(c);
    }).join("");
  }

  function rowOf(form, submitter) {
    var row = form.closest("#main li");
    if (!row) return null;
    var list = row.parentElement, key = listKey(list);
    var lists = document.getElementById("main").querySelectorAll(key);
    return { list: key, nth: Array.prototype.indexOf.call(lists, list),
             at: Array.prototype.indexOf.call(list.children, row),
             text: submitter ? submitter.textContent.trim() : "" };
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail, form = detail.elt;
    pending = null;
    if (detail.verb === "get" || !form.matches("form") || !form.closest("#main")) return;
    var submitter = detail.triggeringEvent && detail.triggeringEvent.submitter;
    var sections = [];  // the ids around it, nearest first: the nearest may go with the form
    for (var up = form.parentElement; (up = up.closest("#main [id]")); up = up.parentElement) {
      sections.push(up.id);
    }
    pending = { form: form, boosted: detail.boosted, page: location.pathname,
                action: form.getAttribute("action") || "", label: label(submitter),
                row: rowOf(form, submitter), sections: sections };
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!pending || detail.requestConfig.elt !== pending.form) return;
    if (!pending.boosted) return;  // swapped where its hx-target says: nothing scrolls
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
    if (said) return focusable(said);
    var neighbour = sameRow(main, sent.row);
    if (neighbour) return neighbour;
    for (var i = 0; i < sent.sections.length; i++) {
      var section = document.getElementById(sent.sections[i]);
      if (!section || !main.contains(section) || !shown(section)) continue;
      var first = Array.prototype.filter.call(section.querySelectorAll(FOCUSABLE), shown)[0];
      if (first) return first;
      if (section.textContent.trim()) return focusable(section);
    }
    var heading = main.querySelector("h1");
    return heading ? focusable(heading) : null;
  }

  function focusable(el) {
    if (!el.matches(FOCUSABLE)) el.setAttribute("tabindex", "-1");
    return el;
  }

  // The row now in the sent one's place (the next one moved up), else the one before it (the
  // last was removed): its button with the same words ("Remove"), else its first control.
  function sameRow(main, row) {
    var list = row && main.querySelectorAll(row.list)[row.nth];
    if (!list) return null;
    var rows = [list.children[row.at], list.children[row.at - 1]].filter(Boolean);
    for (var i = 0; i < rows.length; i++) {
      var controls = Array.prototype.filter.call(rows[i].querySelectorAll(FOCUSABLE),
        function (el) { return reachable(el) === el; });
      var same = controls.filter(function (el) { return el.textContent.trim() === row.text; });
      var found = same.concat(controls)[0];
      if (found) return found;
    }
    return null;
  }

  function settled() {
    var sent = pending, main = document.getElementById("main");
    if (!sent || !main || sent.form.isConnected) return;
    pending = null;
    // An [autofocus] in the new page (a refused title) has already taken the focus.
    if (document.activeElement && document.activeElement !== document.body) return;
    var target = findAgain(main, sent);
    if (!target) return;
    // In view whole, and clear of the player bar: the browser's own scroll to a focused
    // control stops with it at the very edge (a playlist entry moved down ended 0.3 px below
    // the window, under the player)
    target.focus({ preventScroll: true });
    var box = target.getBoundingClientRect(), player = document.querySelector(".player:not([hidden])");
    var bottom = player ? Math.min(innerHeight, player.getBoundingClientRect().top) : innerHeight;
    if (box.top < 0 || box.bottom > bottom) target.scrollIntoView({ block: "center" });
  }

  document.addEventListener("htmx:afterSettle", settled);

  // An answer that puts nothing in the form's place (a failure dismissed: its row goes) settles
  // no element, so no htmx:afterSettle comes; htmx tells the nearest element left that the
  // request is over, and the focus is placed once the settling would have been done.
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail;
    if (!pending || detail.requestConfig.elt !== pending.form) return;
    if (!detail.successful) { pending = null; return; }
    setTimeout(settled, htmx.config.defaultSettleDelay + 10);
  });
})();
