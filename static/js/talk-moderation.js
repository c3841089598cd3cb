// Approve or delete comments that wait for approval without leaving the page: the Approve and Delete forms
// post with fetch (the session cookie and the form's CSRF token), the comment and the navbar's count change in
// place. Without JavaScript the same forms post normally and the page reloads with a message.
(function () {
  "use strict";

  function updateNavbarCount(count) {
    document.querySelectorAll("[data-pending-count]").forEach(function (badge) {
      badge.textContent = count;
      badge.hidden = !count;
    });
  }

  function done(comment, section, action, data) {
    var actions = comment.querySelector("[data-moderation-actions]");
    var status = document.createElement("p");
    status.className = "small fw-semibold mt-1 mb-0 " + (action === "approve" ? "text-success" : "text-danger");
    status.setAttribute("role", "status");
    status.setAttribute("data-moderation-status", action);
    status.textContent = section.getAttribute(action === "approve" ? "data-label-approved" : "data-label-deleted");
    actions.replaceWith(status);
    if (action === "approve") {
      comment.classList.remove("comment-pending");
      var badge = comment.querySelector("[data-pending-badge]");
      if (badge) { badge.remove(); }
    } else {
      comment.classList.add("comment-deleted");
      var body = comment.querySelector(".comment-body");
      if (body) { body.remove(); }
    }
    if (typeof data.pending === "number") { updateNavbarCount(data.pending); }
    window.flasky.showMessage(data.message, "success");
  }

  document.querySelectorAll("[data-talk-moderation]").forEach(function (section) {
    section.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-moderate]");
      if (!form) { return; }
      event.preventDefault();
      var comment = form.closest(".comment");
      var buttons = comment.querySelectorAll("[data-moderation-actions] button");
      buttons.forEach(function (button) { button.disabled = true; });
      window.flasky.postForm(form).then(function (result) {
        if (!result.ok) {
          window.flasky.showMessage(result.data.message || section.getAttribute("data-label-failed"), "danger");
          buttons.forEach(function (button) { button.disabled = false; });
          return;
        }
        done(comment, section, form.getAttribute("data-moderate"), result.data);
      }, function () {
        form.submit();  // the request failed on its way: fall back to the plain form post
      });
    });
  });
})();
