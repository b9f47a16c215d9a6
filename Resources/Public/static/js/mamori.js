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
})();
