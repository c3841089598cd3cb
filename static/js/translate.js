// "Translate" on posts in another language: fetch the translation and show it in place of the post, with
// a way back to the original. Without JavaScript the same form opens a page with the translation.
(function () {
  "use strict";

  document.querySelectorAll("form[data-translate]").forEach(function (form) {
    var article = form.closest("article");
    var body = article.querySelector("[data-post-body]");
    var button = form.querySelector("[data-translate-button]");
    var spinner = form.querySelector("[data-translate-spinner]");
    var errorBox = form.querySelector("[data-translate-error]");
    var original = null;
    var translated = null;
    var showingTranslation = false;

    function show(html, isTranslation) {
      body.innerHTML = html;  // both versions were sanitised by the server (blog.markdown)
      showingTranslation = isTranslation;
      button.textContent = isTranslation ? form.dataset.labelOriginal : form.dataset.labelTranslate;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errorBox.textContent = "";
      if (showingTranslation) { show(original, false); return; }
      if (translated !== null) { show(translated, true); return; }
      button.hidden = true;
      spinner.hidden = false;
      window.flasky.postForm(form).then(function (result) {
        if (!result.ok) {
          errorBox.textContent = result.data.message || form.dataset.labelError;
          return;
        }
        original = body.innerHTML;
        translated = result.data.html;
        show(translated, true);
      }, function () {
        errorBox.textContent = form.dataset.labelError;  // the network failed: no browser jargon
      }).finally(function () {
        spinner.hidden = true;
        button.hidden = false;
      });
    });
  });
})();
