// The create page: live character counters that follow the chosen model, weight sliders
// paired with their numbers, custom/simple field groups, picking the extend point on the
// waveform, and what a chosen source track brings into the fields. Sending a picked file,
// choosing an earlier upload or a source track are htmx attributes on those fields
// (generation/views.py); this only draws the upload's progress. Set up on every form htmx
// brings in (a boosted visit, a page put back by Back) and every track card swapped into
// one, through studio.setUp (studio.js).
(function () {
  "use strict";

  function fmt(n) { return n.toLocaleString("en-US"); }

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    return root.matches && root.matches(selector) ? [root].concat(found) : found;
  }

  // What the source track shown in each form brought into its fields (data-fills), below.
  var brought = new WeakMap();
  function fills(card) { return card && card.dataset.fills ? JSON.parse(card.dataset.fills) : null; }

  // Counters: "123 / 3,000", red when over the chosen model's limit.
  function counters(form) {
    var limits = JSON.parse(form.dataset.limits || "{}");
    var model = form.querySelector("[name=model]");
    var all = [];
    form.querySelectorAll("[data-counter]").forEach(function (input) {
      var label = form.querySelector("label[for='" + input.id + "']");
      if (!label) return;
      // A form put back by Back has its counters already (htmx's copy is the page's HTML).
      var span = label.querySelector(".counter") || document.createElement("span");
      span.className = "counter";
      span.setAttribute("aria-live", "polite");
      label.appendChild(span);
      all.push({ input: input, span: span, kind: input.dataset.counter });
    });
    function update() {
      var table = limits[model ? model.value : ""] || {};
      all.forEach(function (c) {
        var limit = table[c.kind];
        var n = c.input.value.length;
        c.span.textContent = limit ? fmt(n) + " / " + fmt(limit) : fmt(n);
        c.span.classList.toggle("over", Boolean(limit && n > limit));
      });
    }
    form.addEventListener("input", update);
    if (model) model.addEventListener("change", update);
    update();
  }

  // Weight sliders mirror their number inputs (the number is what is sent). An empty number
  // is "auto": the slider shows no position then (data-unset), and "Auto" empties it again.
  function weights(form) {
    form.querySelectorAll("[data-weight-for]").forEach(function (slider) {
      var number = document.getElementById(slider.dataset.weightFor);
      var auto = form.querySelector("[data-weight-auto='" + slider.dataset.weightFor + "']");
      if (!number) return;
      function unset(yes) {
        slider.toggleAttribute("data-unset", yes);
        if (auto) auto.hidden = yes;
        slider.style.setProperty("--fill", (100 * slider.value) + "%");  // CSSOM: CSP allows it
      }
      slider.addEventListener("input", function () {
        number.value = Number(slider.value).toFixed(2);
        unset(false);
      });
      number.addEventListener("input", function () {
        if (number.value !== "") slider.value = number.value;
        unset(number.value === "");
      });
      unset(number.value === "");
      if (auto) auto.addEventListener("click", function () {
        number.value = "";
        slider.value = 0.5;
        unset(true);
        number.focus();
      });
    });
  }

  // Vocal gender means nothing while "Instrumental" is ticked: hidden then.
  function vocals(form) {
    var instrumental = form.querySelector("[name=instrumental]");
    var gender = form.querySelector("[data-sung]");
    if (!instrumental || !gender) return;
    function show() { gender.closest(".field").hidden = instrumental.checked; }
    instrumental.addEventListener("change", show);
    show();
  }

  // Cover: custom mode shows style/title/lyrics; simple mode shows the idea.
  function groups(form) {
    var custom = form.querySelector("[name=custom]");
    if (!custom) return;
    function show() {
      form.querySelectorAll("[data-group]").forEach(function (input) {
        var field = input.closest(".field");
        if (!field) return;
        field.hidden = (input.dataset.group === "custom") !== custom.checked;
        // Write lyrics goes with the lyrics it fills: shown without them, it wrote into a
        // hidden field (Cover, simple mode)
        var writer = field.nextElementSibling;
        if (writer && writer.classList.contains("lyric-writer")) writer.hidden = field.hidden;
      });
    }
    custom.addEventListener("change", show);
    show();
  }

  // Extend: the waveform picks the second to continue from. Each card's own (choosing
  // another track to extend swaps the card alone).
  function picker(wave) {
    var duration = parseFloat(wave.dataset.pickDuration);
    var target = document.getElementById(wave.dataset.pickTarget);
    var marker = wave.querySelector(".pick-marker");
    // A second typed past either end (refused beside the field) puts the marker at that
    // end of the waveform, never outside it.
    function show(seconds) {
      if (!marker) return;
      marker.hidden = false;
      marker.style.left = (100 * Math.max(0, Math.min(duration, seconds)) / duration) + "%";
    }
    wave.addEventListener("click", function (e) {
      var box = wave.getBoundingClientRect();
      var seconds = Math.max(0.1, Math.min(duration - 0.1, duration * (e.clientX - box.left) / box.width));
      target.value = seconds.toFixed(1);
      show(seconds);
    });
    wave.addEventListener("keydown", function (e) {
      var now = parseFloat(target.value) || duration / 2;
      if (e.key === "ArrowRight") now = Math.min(duration - 0.1, now + 1);
      else if (e.key === "ArrowLeft") now = Math.max(0.1, now - 1);
      else return;
      e.preventDefault();
      target.value = now.toFixed(1);
      show(now);
    });
    if (target && target.value) show(parseFloat(target.value));
    if (target) target.addEventListener("input", function () {
      if (wave.isConnected) show(parseFloat(target.value) || 0);
    });
  }

  // Source audio: a file dropped on the upload field is picked as if chosen (htmx then
  // sends it), and the form keeps one source: choosing a library track clears the upload,
  // choosing an upload clears the track.
  function sources(form) {
    // Each drop zone feeds the file field inside it (a mashup has two).
    form.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) {
          e.preventDefault();
          zone.classList.add("is-over");
        });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("is-over"); });
      });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        var input = zone.querySelector("input[type=file]");
        if (!input || !e.dataTransfer || !e.dataTransfer.files.length) return;
        input.files = e.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    // A mashup's second song has its own three (second_file, second_upload, second_track):
    // its file waits for the form to be sent, so choosing a track empties the file field.
    form.addEventListener("change", function (e) {
      var name = e.target.name || "", second = name.indexOf("second_") === 0;
      var prefix = second ? "second_" : "", kind = name.slice(prefix.length);
      var track = form.querySelector("select[name=" + prefix + "track]");
      var upload = form.querySelector("select[name=" + prefix + "upload]");
      if (!track || !upload) return;  // extend: no uploads
      if (kind === "track" && track.value) {
        upload.value = "";
        var file = form.querySelector("input[type=file][name=" + prefix + "file]");
        if (file && second) file.value = "";
        var result = !second && document.getElementById("upload-result");
        if (result) result.innerHTML = "";
      } else if ((kind === "upload" && e.target.value) || (kind === "file" && e.target.value)) {
        track.value = "";
        if (kind === "upload" && second) {
          var picked = form.querySelector("input[type=file][name=second_file]");
          if (picked) picked.value = "";
        }
        var shown = !second && document.getElementById("source-track");
        if (shown) shown.innerHTML = "";
      }
    });
  }

  // Section-marker buttons: the marker goes in at the caret, on a line of its own after a
  // blank line, and the caret waits after it for the section's first line.
  function sections(form) {
    form.querySelectorAll("[data-insert]").forEach(function (button) {
      button.addEventListener("click", function () {
        var box = document.getElementById(button.dataset.insertInto);
        if (!box) return;
        var start = box.selectionStart, end = box.selectionEnd;
        var before = box.value.slice(0, start);
        var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
        var text = lead + button.dataset.insert + "\n";
        box.setRangeText(text, start, end, "end");
        box.focus();
        box.dispatchEvent(new Event("input", { bubbles: true }));  // counters follow
      });
    });
  }

  htmx.onLoad(function (root) {
    // A phone shows the modes as one row that scrolls sideways: the chosen one in view.
    within(root, ".tabs .tab.active").forEach(function (tab) {
      var strip = tab.parentElement;
      if (strip.scrollWidth > strip.clientWidth) {
        strip.scrollLeft = tab.offsetLeft - (strip.clientWidth - tab.offsetWidth) / 2;
      }
    });
  });
  studio.setUp("form.create-form", function (form) {
    // Put back by Back while its file was on its way: that request answers a page long gone.
    if (form.hasAttribute("data-uploading")) uploaded(form);
    counters(form);
    weights(form);
    vocals(form);
    groups(form);
    sources(form);
    sections(form);
    brought.set(form, fills(form.querySelector("#source-track .source-track, #upload-result .upload-card")));
  });
  studio.setUp("form.create-form [data-pick-duration]", picker);

  // Text a writer made replaces a field's text as an edit of it, so the browser's own undo
  // (Ctrl+Z) brings the old text back; the counters follow.
  function replaceText(box, text) {
    box.focus();
    box.select();
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      box.value = text;
    }
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Write lyrics: "Use these lyrics" on a sheet fills the lyrics field with it.
  document.addEventListener("click", function (event) {
    var use = event.target.closest && event.target.closest("[data-use-lyrics]");
    if (use) {
      var box = document.getElementById(use.dataset.useLyrics);
      if (box) replaceText(box, use.dataset.lyricsText);
      return;
    }
    var undo = event.target.closest && event.target.closest("[data-undo-boost]");
    if (undo) {
      var note = undo.closest("[data-boosted]");
      var field = note && document.getElementById(note.dataset.boostInto);
      if (field) replaceText(field, note.dataset.previous);
      if (note) note.textContent = "Boost undone.";
    }
  });

  // A library track chosen as the source (its card swapped into #source-track) brings what
  // it suggests for the form's other fields (its data-fills: Extend's title, style, model,
  // second and Instrumental box, Add vocals' title and style); so does an upload (its card
  // swapped into #upload-result: Upload & extend's second). Only into a field nothing was
  // typed in: one still empty, or still holding what the previous track brought (or, a list,
  // its first choice; a box, one the creator has not set).
  // Choosing the track to extend used to bring the whole form anew, and the lyrics typed
  // in it were gone.
  document.addEventListener("change", function (event) {  // a box the creator set is theirs
    var box = event.target;
    if (event.isTrusted && box.type === "checkbox" && box.closest("form.create-form")) {
      box.dataset.chosen = "";
    }
  });
  function untouched(field, before) {
    if (field.value === "" || field.value === before) return true;
    var option = field.tagName === "SELECT" && field.options[field.selectedIndex];
    return Boolean(option && option.defaultSelected);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "source-track" && event.target.id !== "upload-result") return;
    var form = event.target.closest("form");
    var now = fills(event.target.querySelector(".source-track, .upload-card"));
    if (!form || !now) return;  // no source now: what the last one brought is still its
    var before = brought.get(form) || {};
    brought.set(form, now);
    Object.keys(now).forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field && field.type === "checkbox") {
        var lyrics = form.querySelector("[name=lyrics]");
        if ("chosen" in field.dataset || field.checked === now[name]) return;
        // Lyrics typed for the new part are not silenced by an instrumental source.
        if (name === "instrumental" && now[name] && lyrics && lyrics.value.trim()) return;
        field.checked = now[name];
        field.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      if (!field || !untouched(field, before[name])) return;
      if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) {
        return o.value === now[name];
      })) return;
      field.value = now[name];
      field.dispatchEvent(new Event(field.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
    });
  });

  // Boost style: the answer carries the boosted style; it goes into the field at once.
  document.addEventListener("htmx:afterSwap", function (event) {
    var note = event.target.querySelector && event.target.querySelector("[data-boosted]");
    if (!note || note.dataset.applied) return;
    note.dataset.applied = "1";
    var field = document.getElementById(note.dataset.boostInto);
    if (field) replaceText(field, note.dataset.boosted);
  });

  // A picked file on its way (hx-post on the file input): the bar follows htmx's progress
  // events; htmx shows and hides the bar's box itself (hx-indicator).
  function uploading(event) {
    return event.target.matches && event.target.matches("form.create-form input[type=file]");
  }
  // While a picked file is on its way, the form waits for it: submitted now, it would send
  // the same file again and Studio would keep it twice. Its button says why it waits; the
  // request's own end (not an htmx event on the file input, which the answer replaces)
  // gives the button back. Once the file is kept, the answer empties the file input.
  function waitForUpload(form, xhr) {
    form.setAttribute("data-uploading", "");
    studio.hold(form, "Waiting for the upload to finish…");
    xhr.addEventListener("loadend", function () { uploaded(form); });
  }
  function uploaded(form) {
    form.removeAttribute("data-uploading");
    studio.release(form);
  }
  document.addEventListener("htmx:beforeSend", function (event) {
    var form = uploading(event) && event.target.closest("form");
    if (form && event.detail.xhr) waitForUpload(form, event.detail.xhr);
  });
  // Enter in a field submits too: held back (before htmx or data-once hear it) meanwhile.
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-uploading")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);
  document.addEventListener("htmx:xhr:loadstart", function (event) {
    var bar = uploading(event) && document.querySelector("#upload-busy progress");
    if (bar) bar.value = 0;
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = uploading(event) && document.querySelector("#upload-busy progress");
    if (bar && event.detail.lengthComputable) {
      bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var result = uploading(event) && document.getElementById("upload-result");
    if (result) {
      result.innerHTML = '<p class="error" role="alert">The upload did not reach Studio; check the connection and try again.</p>';
    }
  });
})();
