// Studio's own script: setting things up once, submit-once forms, no typing into a page being
// left, the current CSRF token, forms that keep their text when their answer fails, where
// the ⋯ menus open and Escape for them, history copies without inline styles, polling only
// while visible (the player lives in player.js). No inline handlers.
(function () {
  "use strict";

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    return root.matches && root.matches(selector) ? [root].concat(found) : found;
  }

  // The one way our scripts set up what they drive (a create form, the persona window):
  // studio.setUp(selector, setUp) runs setUp once for each such element htmx brings in — the
  // first page, a boosted visit, a swapped partial, and a page put back by Back. Which ones
  // are set up is kept in memory, never as a mark on the element: htmx's copy of a page for
  // Back is HTML, and a mark in it left the restored form (new elements, none of our
  // listeners) never set up again. A page the browser keeps whole (its back/forward cache)
  // keeps its listeners, and this memory with them.
  window.studio = {
    setUp: function (selector, setUp) {
      var already = new WeakSet();
      htmx.onLoad(function (root) {
        within(root, selector).forEach(function (element) {
          if (already.has(element)) return;
          already.add(element);
          setUp(element);
        });
      });
    },
    // A form waiting for something holds its submit buttons: disabled, saying why (`text`);
    // release gives each its own words back.
    hold: function (form, text) {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        if (!b.dataset.label) b.dataset.label = b.textContent;
        b.disabled = true;
        b.textContent = text;
      });
    },
    release: function (form) {
      form.querySelectorAll("button[data-label]").forEach(function (b) {
        b.disabled = false;
        b.textContent = b.dataset.label;
        delete b.dataset.label;
      });
    }
  };

  // A form marked data-once sends once: a double click does not make two generations
  // (the server also de-duplicates by the form's token).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    studio.hold(form, "Starting…");
  });

  // A form already sent when htmx took its copy for Back (or when the browser kept the page)
  // comes back sent: its button disabled, "Starting…". Shown again, it is ready to send
  // again, with a token of its own: with the first one's, Studio would take the new song for
  // a double click of the first and answer with the first generation.
  function readyAgain(form) {
    form.removeAttribute("data-sent");
    studio.release(form);
    var token = form.querySelector("input[type=hidden][name=token]");
    if (token) {  // hidden: the value is the attribute, so a later copy keeps the new one
      var bytes = crypto.getRandomValues(new Uint8Array(16));
      token.value = Array.prototype.map.call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      }).join("");
    }
  }
  studio.setUp("form[data-once][data-sent]", readyAgain);

  // While a boosted link or form is on its way, the page it will replace takes no typing or
  // clicks (#main is inert; the page that comes has no such mark): text typed there meanwhile
  // vanished with it. A description typed just after a click on the Create tab went into the
  // form being left, and the empty one that came in its place was sent ("Idea is required").
  function main() { return document.getElementById("main"); }
  document.addEventListener("htmx:beforeSend", function (event) {
    if (event.detail.boosted && main()) main().inert = true;
  });
  document.addEventListener("htmx:afterRequest", function (event) {  // answered or failed
    if (event.detail.boosted && main()) main().inert = false;
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once][data-sent]").forEach(readyAgain);
    if (main()) main().inert = false;  // left while a request was on its way
  });

  // The CSRF token a request carries is read as it leaves, from Studio's cookie (named on
  // <body>). The page's own token (hx-headers, a form's hidden field) is the one of the moment
  // the page came: a log-in in another tab since then replaced it, and a form sent from here
  // after logging in again was refused.
  function cookie(name) {
    var prefix = name + "=";
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(prefix) === 0; })[0];
    return found ? decodeURIComponent(found.slice(prefix.length)) : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var name = document.body.dataset.csrfCookie;
    var token = name && cookie(name);
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = token;
    if (event.detail.parameters.csrfmiddlewaretoken !== undefined) {
      event.detail.parameters.csrfmiddlewaretoken = token;  // Django reads the field first
    }
  });

  // A form that keeps what was typed (data-keep-typed, its value saying what it does: "start
  // this song") stays on its page when the answer is not a page of Studio's: a server error,
  // a proxy's page, the network failing, a session expired, a security token refused. Replaced
  // by the error page or the log-in page, it lost the idea and lyrics typed in it. Beside its
  // button it says what happened, and it is ready to send again, with the same token: a song
  // Studio did start before its answer was lost is not made twice.
  function keeping(event) {
    var form = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    return form && form.matches && form.matches("form[data-keep-typed]") ? form : null;
  }

  // Studio's own failure pages say what happened in an element marked data-failure: its text
  // and links are shown, nothing else of it.
  // A link is copied only when it is a path on Studio itself ("/accounts/login/…"): never a
  // scheme ("https:", "javascript:"), "//host", or "/\host" (which a browser reads as
  // "//host"). The page may have come through a proxy; any other link keeps only its words.
  function ownPath(href) {
    if (!href || !/^\/(?![\/\\])/.test(href)) return false;
    try {
      return new URL(href, location.href).origin === location.origin;  // "/<tab>/host" too
    } catch (e) {
      return false;
    }
  }

  function failureWords(html) {
    var said = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-failure]");
    if (!said) return [];
    return Array.prototype.map.call(said.childNodes, function (node) {
      var href = node.nodeName === "A" ? node.getAttribute("href") : null;
      if (!ownPath(href)) return document.createTextNode(node.textContent);
      var link = document.createElement("a");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = node.textContent;
      return link;
    });
  }

  function notSent(form, what, words) {
    form.querySelectorAll("[data-not-sent]").forEach(function (old) { old.remove(); });
    form.removeAttribute("data-sent");
    studio.release(form);
    var button = form.querySelector("button[type=submit]");
    var note = document.createElement("div");
    note.className = "form-errors";
    note.setAttribute("role", "alert");
    note.setAttribute("data-not-sent", "");
    var happened = document.createElement("p");
    happened.textContent = "Studio could not " + (form.dataset.keepTyped || "send this form") +
      what + " ";
    words.forEach(function (node) { happened.appendChild(node); });
    var still = document.createElement("p");
    still.textContent = "Everything you typed is still here: press “" +
      (button ? button.textContent.trim() : "Send") + "” again to send it.";
    note.appendChild(happened);
    note.appendChild(still);
    if (button) button.parentNode.insertBefore(note, button); else form.appendChild(note);
    setTimeout(function () {  // once #main takes the focus again (htmx:afterRequest)
      note.scrollIntoView({ block: "nearest" });
      if (button) button.focus({ preventScroll: true });
    });
  }

  document.addEventListener("htmx:beforeSend", function (event) {
    var form = keeping(event);
    if (form) form.querySelectorAll("[data-not-sent]").forEach(function (old) { old.remove(); });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = keeping(event), detail = event.detail;
    if (!form) return;
    var page = detail.serverResponse || "";
    if (!detail.isError && !(detail.boosted && !/id="main"/.test(page))) return;  // shown
    event.preventDefault();  // nothing swapped, and no page loaded in its place (player.js)
    detail.shouldSwap = false;
    var status = detail.xhr.status, words = failureWords(page);
    var what = status >= 500 ? " (server error " + status + ")." :
      status >= 400 ? (words.length ? "." : " (error " + status + ").") :
      ": its answer was not one of Studio's pages.";
    notSent(form, what, words);
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = keeping(event);
      if (form) notSent(form, ": the connection to Studio failed.", []);
    });
  });

  // Logged out (in another tab, or the session ended): every other request of the page's own
  // is answered 401 too (failures.signed_out). A status poll, the library's search and
  // filters, the player's details did nothing and said nothing, the generation stuck on
  // "Writing lyrics" for good; Like, Rename and the other menu forms loaded the log-in page,
  // which after logging in sent the browser to the form's address: an empty "Method not
  // allowed". Now the page stays as it is, and a note under the top bar says so in Studio's
  // words, with its link to log in; the first answer after logging in again (the polls go on
  // asking) takes the note away. A link followed (boosted GET) still loads the log-in page,
  // which brings the creator back to where they were going.
  function signedOut(words) {
    var note = document.querySelector("[data-signed-out]");
    if (note) return;
    note = document.createElement("div");
    note.className = "signed-out";
    note.setAttribute("role", "alert");
    note.setAttribute("data-signed-out", "");
    var said = document.createElement("p");
    if (!words.length) words = [document.createTextNode("You are no longer logged in.")];
    words.forEach(function (node) { said.appendChild(node); });
    note.appendChild(said);
    var top = document.querySelector(".topbar");
    if (top) top.appendChild(note); else document.body.insertBefore(note, document.body.firstChild);
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (event.defaultPrevented || detail.xhr.status !== 401) return;
    var verb = detail.requestConfig && detail.requestConfig.verb;
    if (detail.boosted && verb === "get") return;  // a link: its page loads whole (player.js)
    event.preventDefault();  // no page loaded in its place (player.js)
    detail.shouldSwap = false;
    signedOut(failureWords(detail.serverResponse));
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var note = document.querySelector("[data-signed-out]");
    if (note && event.detail.successful) note.remove();
  });

  // A ⋯ menu opens below its button where the window has room for it above the player bar;
  // else above the button, where there is room under the top bar; else on the roomier side,
  // scrolling within itself. At the foot of a page its last items (Share, Delete) opened under
  // the player, where no click reaches them however far the page scrolls. On a phone the
  // menu is a sheet above the player (position: fixed, in CSS): placed already. A Rename
  // opened inside it makes it taller: it is placed again.
  function placeMenu(menu) {
    var panel = menu.querySelector(".menu-panel");
    if (!panel) return;
    panel.classList.remove("opens-up");
    panel.style.maxHeight = "";
    if (getComputedStyle(panel).position === "fixed") return;
    var player = document.querySelector(".player:not([hidden])");
    var bar = document.querySelector(".topbar");
    var floor = player ? Math.min(innerHeight, player.getBoundingClientRect().top) : innerHeight;
    var ceiling = bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
    var button = menu.querySelector("summary").getBoundingClientRect();
    var gap = 8, height = panel.scrollHeight;
    var below = floor - button.bottom - gap, above = button.top - ceiling - gap;
    if (height <= below) return;
    var up = height <= above || above > below;
    panel.classList.toggle("opens-up", up);
    var room = up ? above : below;
    if (height > room) panel.style.maxHeight = Math.max(120, room) + "px";
  }

  document.addEventListener("toggle", function (event) {  // toggle does not bubble
    var menu = event.target.closest && event.target.closest("details.track-menu");
    if (menu && menu.open) placeMenu(menu);
  }, true);

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
  // A create form's copy for Back keeps what was typed in it, not the form as it was sent:
  // an idea or lyrics typed, then the Library opened, came back empty. Values become
  // attributes, the part of a field the copy (HTML) holds. Only forms marked data-keep-typed,
  // which hold no secret: the copy stays in this tab's sessionStorage.
  function keepTyped(root) {
    root.querySelectorAll("form[data-keep-typed]").forEach(function (form) {
      form.querySelectorAll("input, textarea, select").forEach(function (field) {
        if (field.type === "file" || field.type === "password") return;
        if (field.tagName === "TEXTAREA") {
          field.textContent = field.value;
        } else if (field.tagName === "SELECT") {
          Array.prototype.forEach.call(field.options, function (option) {
            option.toggleAttribute("selected", option.selected);
          });
        } else if (field.type === "checkbox" || field.type === "radio") {
          field.toggleAttribute("checked", field.checked);
        } else {
          field.setAttribute("value", field.value);
        }
      });
    });
  }

  document.addEventListener("htmx:beforeHistorySave", function (event) {
    keepTyped(event.detail.historyElt);
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
