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

  // Print buttons: <button data-print hidden>, shown only where this script runs.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Copy buttons are useful only where the clipboard is available.
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  }

  // Checklists save each item as soon as it changes: <form data-autosave="URL"> with one
  // <fieldset data-item="ID"> per item. Without JavaScript the form's buttons save the whole section.
  // An item that could not be saved stays "unsaved": it says so in words, a banner lists it, it is sent
  // again when the connection returns (and every few seconds), it is sent when the page is left, and
  // leaving with unsaved items asks first.
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var url = form.getAttribute("data-autosave");
    var csrf = form.querySelector("input[name=_csrf]");
    var banner = document.querySelector("[data-unsaved-banner]");
    var timers = {};
    var unsaved = {};
    var inFlight = {};
    var retryTimer = null;

    function message(name) { return form.getAttribute("data-msg-" + name) || ""; }

    function showActionFields(fieldset, show) {
      fieldset.querySelectorAll(".action-field").forEach(function (field) {
        if (show) { field.removeAttribute("data-hidden"); } else { field.setAttribute("data-hidden", ""); }
      });
      // △ and × always show the note, owner and due date; others keep them behind their toggle.
      var details = fieldset.querySelector("details.item-details");
      if (details && show) { details.open = true; }
    }

    function setStatus(fieldset, text, kind) {
      var status = fieldset.querySelector(".save-status");
      if (status) {
        status.textContent = text;
        status.className = "save-status " + kind;
      }
    }

    function pendingCount() { return Object.keys(unsaved).length; }

    function updateBanner() {
      var count = pendingCount();
      if (!banner) { return; }
      banner.hidden = count === 0;
      var countText = banner.querySelector("[data-unsaved-count]");
      if (countText) { countText.textContent = String(count); }
      if (count > 0 && !retryTimer) {
        retryTimer = setInterval(retryAll, 10000);
      } else if (count === 0 && retryTimer) {
        clearInterval(retryTimer);
        retryTimer = null;
      }
    }

    function body(fieldset) {
      var item = fieldset.getAttribute("data-item");
      var checked = fieldset.querySelector("input[type=radio]:checked");
      var data = new URLSearchParams();
      data.set("_csrf", csrf ? csrf.value : "");
      data.set("item", item);
      data.set("answer", checked ? checked.value : "");
      ["note", "owner", "due"].forEach(function (name) {
        var input = fieldset.querySelector("[name='" + name + "-" + item + "']");
        data.set(name, input ? input.value : "");
      });
      return data;
    }

    function updateSection(result) {
      if (!result.section) { return; }
      document.querySelectorAll("[data-section-count='" + result.section + "']").forEach(function (badge) {
        badge.textContent = result.sectionAnswered + " / " + result.sectionTotal;
        badge.classList.toggle("active", result.sectionAnswered === result.sectionTotal);
      });
    }

    function save(fieldset, keepalive) {
      var item = fieldset.getAttribute("data-item");
      clearTimeout(timers[item]);
      unsaved[item] = fieldset;
      updateBanner();
      if (inFlight[item] && !keepalive) { inFlight[item].again = true; return; }
      var attempt = { again: false };
      inFlight[item] = attempt;
      setStatus(fieldset, message("saving"), "saving");
      fetch(url, {
        method: "POST", body: body(fieldset), credentials: "same-origin", keepalive: !!keepalive,
        headers: { "Accept": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" }
      }).then(function (response) {
        return response.json().then(function (result) { return { ok: response.ok, result: result }; });
      }).then(function (outcome) {
        delete inFlight[item];
        if (outcome.ok) {
          if (!attempt.again) { delete unsaved[item]; }
          setStatus(fieldset, outcome.result.message, "saved");
          showActionFields(fieldset, outcome.result.needsAction);
          fieldset.classList.remove("has-error", "unsaved");
          var carried = fieldset.querySelector(".carried-over");
          if (carried) { carried.remove(); }
          var flags = fieldset.querySelector(".item-flags");
          if (flags && !flags.querySelector("a, .carried-over")) { flags.remove(); }
          updateSection(outcome.result);
        } else {
          // Refused by the server (a wrong date, a locked round): retrying would not help.
          delete unsaved[item];
          setStatus(fieldset, outcome.result.message, "failed");
          fieldset.classList.add("has-error");
        }
        updateBanner();
        if (attempt.again) { save(fieldset); }
      }).catch(function () {
        delete inFlight[item];
        setStatus(fieldset, message(navigator.onLine === false ? "offline" : "failed"), "failed");
        fieldset.classList.add("unsaved");
        updateBanner();
      });
    }

    function retryAll() {
      Object.keys(unsaved).forEach(function (item) {
        if (!inFlight[item]) { save(unsaved[item]); }
      });
    }

    // Items typed into but not yet sent (the pause before saving) or not yet saved.
    function flush() {
      Object.keys(timers).forEach(function (item) { clearTimeout(timers[item]); });
      Object.keys(unsaved).forEach(function (item) { save(unsaved[item], true); });
    }

    form.addEventListener("change", function (event) {
      var fieldset = event.target.closest("fieldset[data-item]");
      if (fieldset) { save(fieldset); }
    });
    // A carried-over item is confirmed by its button, or by choosing the answer it already has (which
    // fires no change event).
    form.querySelectorAll("[data-confirm-item]").forEach(function (button) { button.hidden = false; });
    form.addEventListener("click", function (event) {
      var fieldset = event.target.closest("fieldset[data-item]");
      if (!fieldset || !fieldset.querySelector(".carried-over")) { return; }
      if (event.target.hasAttribute("data-confirm-item") || (event.target.type === "radio" && event.target.checked)) {
        save(fieldset);
      }
    });
    // Typing in a note saves after a pause; the item counts as unsaved from the first key.
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
      var fieldset = event.target.closest("fieldset[data-item]");
      if (!fieldset) { return; }
      var item = fieldset.getAttribute("data-item");
      unsaved[item] = fieldset;
      clearTimeout(timers[item]);
      timers[item] = setTimeout(function () { save(fieldset); }, 800);
    });
    window.addEventListener("online", retryAll);
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { flush(); }
    });
    window.addEventListener("beforeunload", function (event) {
      if (pendingCount() === 0) { return; }
      flush();
      event.preventDefault();
      event.returnValue = "";
    });
    // The section's own save buttons send everything: nothing is left to warn about.
    form.addEventListener("submit", function () { unsaved = {}; });
    if (banner) {
      var retry = banner.querySelector("[data-retry]");
      if (retry) { retry.addEventListener("click", retryAll); }
    }
  });
})();
