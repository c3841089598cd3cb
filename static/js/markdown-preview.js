// Live preview of Markdown while writing: the server renders it with the same pipeline as publishing,
// so the preview is exactly what will be published. Without JavaScript the Preview button does the same.
(function () {
  "use strict";

  document.querySelectorAll("form[data-preview-url]").forEach(function (form) {
    var textarea = form.querySelector("textarea[data-markdown-editor]");
    var wrapper = form.querySelector("[data-preview-wrapper]");
    var target = form.querySelector("[data-preview]");
    if (!textarea || !target) { return; }
    var timer = null;
    var latest = 0;

    function render() {
      var ticket = ++latest;
      var data = new FormData();
      data.append("body", textarea.value);
      if (form.dataset.previewKind) { data.append("kind", form.dataset.previewKind); }
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      window.flasky.fetchJSON(form.dataset.previewUrl, { method: "POST", body: data }).then(function (result) {
        // Only the newest answer counts: an older, slower one must not overwrite it.
        if (ticket !== latest) { return; }
        if (wrapper) { wrapper.hidden = textarea.value.trim() === ""; }
        if (result.ok) {
          target.innerHTML = result.data.html;  // sanitised by the server (blog.markdown)
        } else {
          target.textContent = result.data.message;  // too long, say: the server says why, in words
        }
      }, function () { /* the preview is a convenience: publishing still works */ });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 300);
    });
  });
})();
