// The create page: live character counters that follow the chosen model, weight sliders
// paired with their numbers, custom/simple field groups, uploads sent as soon as a file is
// picked (with progress), and picking the extend point on the waveform.
(function () {
  "use strict";
  var form = document.querySelector("form.create-form");
  if (!form) return;
  var limits = JSON.parse(form.dataset.limits || "{}");
  var model = form.querySelector("[name=model]");

  function fmt(n) { return n.toLocaleString("en-US"); }

  // Counters: "123 / 3,000", red when over the chosen model's limit.
  var counters = [];
  form.querySelectorAll("[data-counter]").forEach(function (input) {
    var label = form.querySelector("label[for='" + input.id + "']");
    if (!label) return;
    var span = document.createElement("span");
    span.className = "counter";
    span.setAttribute("aria-live", "polite");
    label.appendChild(span);
    counters.push({ input: input, span: span, kind: input.dataset.counter });
  });
  function updateCounters() {
    var table = limits[model ? model.value : ""] || {};
    counters.forEach(function (c) {
      var limit = table[c.kind];
      var n = c.input.value.length;
      c.span.textContent = limit ? fmt(n) + " / " + fmt(limit) : fmt(n);
      c.span.classList.toggle("over", Boolean(limit && n > limit));
    });
  }
  form.addEventListener("input", updateCounters);
  if (model) model.addEventListener("change", updateCounters);
  updateCounters();

  // Weight sliders mirror their number inputs (the number is what is sent).
  form.querySelectorAll("[data-weight-for]").forEach(function (slider) {
    var number = document.getElementById(slider.dataset.weightFor);
    if (!number) return;
    slider.addEventListener("input", function () { number.value = Number(slider.value).toFixed(2); });
    number.addEventListener("input", function () { if (number.value !== "") slider.value = number.value; });
  });

  // Cover: custom mode shows style/title/lyrics; simple mode shows the idea.
  var custom = form.querySelector("[name=custom]");
  function groups() {
    if (!custom) return;
    form.querySelectorAll("[data-group]").forEach(function (input) {
      var field = input.closest(".field");
      if (field) field.hidden = (input.dataset.group === "custom") !== custom.checked;
    });
  }
  if (custom) { custom.addEventListener("change", groups); groups(); }

  // Uploads: sent on pick; the result card shows duration, tempo and key.
  var file = form.querySelector("input[type=file][name=file]");
  var select = form.querySelector("select[name=upload]");
  var progress = form.querySelector(".upload-progress");
  var result = document.getElementById("upload-result");
  if (file && result) {
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      var data = new FormData();
      data.append("file", file.files[0]);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.uploadUrl || "/uploads/");
      xhr.setRequestHeader("X-CSRFToken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      xhr.setRequestHeader("HX-Request", "true");
      if (progress) { progress.hidden = false; progress.value = 0; }
      xhr.upload.addEventListener("progress", function (e) {
        if (progress && e.lengthComputable) progress.value = Math.round(100 * e.loaded / e.total);
      });
      result.innerHTML = '<p class="muted small">Uploading and listening…</p>';
      xhr.onload = function () {
        if (progress) progress.hidden = true;
        result.innerHTML = xhr.responseText;
        var card = result.querySelector("[data-upload-id]");
        if (card && select) {
          var id = card.dataset.uploadId;
          if (!select.querySelector("option[value='" + id + "']")) {
            var option = new Option(card.dataset.uploadLabel, id);
            select.add(option, 1);
          }
          select.value = id;
          file.value = "";  // kept on the server: the form need not send it again
        }
      };
      xhr.onerror = function () {
        if (progress) progress.hidden = true;
        result.innerHTML = '<p class="error" role="alert">The upload did not reach Studio; check the connection and try again.</p>';
      };
      xhr.send(data);
    });
  }
  if (select && result) {
    select.addEventListener("change", function () {
      if (!select.value) { result.innerHTML = ""; return; }
      fetch("/uploads/" + select.value + "/", { headers: { "HX-Request": "true" } })
        .then(function (r) { return r.text(); })
        .then(function (html) { result.innerHTML = html; });
    });
  }

  // Extend: choosing another track reloads with its settings; the waveform picks the second.
  var track = form.querySelector("select[name=track]");
  if (track && form.querySelector("[name=mode]").value === "extend") {
    track.addEventListener("change", function () {
      window.location.search = "?mode=extend&track=" + encodeURIComponent(track.value);
    });
  }
  document.querySelectorAll("[data-pick-duration]").forEach(function (wave) {
    var duration = parseFloat(wave.dataset.pickDuration);
    var target = document.getElementById(wave.dataset.pickTarget);
    var marker = wave.querySelector(".pick-marker");
    function show(seconds) {
      if (!marker) return;
      marker.hidden = false;
      marker.style.left = (100 * seconds / duration) + "%";
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
    if (target) target.addEventListener("input", function () { show(parseFloat(target.value) || 0); });
  });
})();
