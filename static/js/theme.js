// The colour theme (flasky_project/theme.py): loaded in <head>, before the styles, so that a page paints in
// the reader's theme from the start. "auto" follows the system setting, also when it changes while the page
// is open; the navbar's switch sets the same cookie the server reads, then switches without a reload.
// Without JavaScript the server marks a chosen theme and site.css follows the system for "auto".
(function () {
  "use strict";

  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function chosen() {
    var match = document.cookie.match(/(?:^|; )theme=(auto|light|dark)(?:;|$)/);
    return match ? match[1] : "auto";
  }

  function apply(choice) {
    var theme = choice === "auto" ? (dark && dark.matches ? "dark" : "light") : choice;
    root.setAttribute("data-bs-theme", theme);
  }

  function mark(choice) {
    document.querySelectorAll("[data-theme-switch] button[name=theme]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === choice ? "true" : "false");
    });
  }

  apply(chosen());
  if (dark) {
    dark.addEventListener("change", function () {
      if (chosen() === "auto") { apply("auto"); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-theme-switch] button[name=theme]");
    if (!button) { return; }
    event.preventDefault();
    var secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = "theme=" + button.value + "; path=/; max-age=31536000; samesite=lax" + secure;
    apply(button.value);
    mark(button.value);
  });
})();
