// Small progressive enhancements; every page works without them. Loaded from a file, never inline,
// so that the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  // Ask before destructive actions: <form data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Ask before a button that deletes through another form: <button form="…" data-confirm-button="…">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm-button]");
    if (button && !window.confirm(button.getAttribute("data-confirm-button"))) {
      event.preventDefault();
    }
  });

  // Print the page (the handling rules' A4 sheet): <button data-print>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });

  // Copy one-time links and tokens: <button data-copy="element-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) { button.textContent = done; }
    });
  });

  // Filters apply as soon as a choice changes: <form data-autosubmit>.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosubmit") && event.target.tagName === "SELECT") {
      form.submit();
    }
  });

  // Copy buttons are useful only where the clipboard is available.
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  }

  // Checklists save each item as soon as it changes: <form data-autosave="URL"> with one
  // <fieldset data-item="ID"> per item. Without JavaScript the form's buttons save the whole section.
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var url = form.getAttribute("data-autosave");
    var csrf = form.querySelector("input[name=_csrf]");
    var timers = {};

    function showActionFields(fieldset, show) {
      fieldset.querySelectorAll(".action-field").forEach(function (field) {
        if (show) { field.removeAttribute("data-hidden"); } else { field.setAttribute("data-hidden", ""); }
      });
    }

    function save(fieldset) {
      var item = fieldset.getAttribute("data-item");
      var checked = fieldset.querySelector("input[type=radio]:checked");
      var body = new URLSearchParams();
      body.set("_csrf", csrf ? csrf.value : "");
      body.set("item", item);
      body.set("answer", checked ? checked.value : "");
      ["note", "owner", "due"].forEach(function (name) {
        var input = fieldset.querySelector("[name='" + name + "-" + item + "']");
        body.set(name, input ? input.value : "");
      });
      var status = fieldset.querySelector(".save-status");
      fetch(url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" }
      }).then(function (response) {
        return response.json().then(function (result) { return { ok: response.ok, result: result }; });
      }).then(function (outcome) {
        if (status) {
          status.textContent = outcome.result.message;
          status.className = "save-status " + (outcome.ok ? "saved" : "failed");
        }
        if (outcome.ok) {
          showActionFields(fieldset, outcome.result.needsAction);
          fieldset.classList.remove("has-error");
        } else {
          fieldset.classList.add("has-error");
        }
      }).catch(function () {
        if (status) {
          status.textContent = form.getAttribute("data-failed") || "!";
          status.className = "save-status failed";
        }
      });
    }

    form.addEventListener("change", function (event) {
      var fieldset = event.target.closest("fieldset[data-item]");
      if (fieldset) { save(fieldset); }
    });
    // Typing in a note saves after a pause, so that closing the page loses at most a second.
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
      var fieldset = event.target.closest("fieldset[data-item]");
      if (!fieldset) { return; }
      var item = fieldset.getAttribute("data-item");
      clearTimeout(timers[item]);
      timers[item] = setTimeout(function () { save(fieldset); }, 800);
    });
  });
})();
