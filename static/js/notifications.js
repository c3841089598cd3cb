// The notifications page: "Mark all as read" in place (without JavaScript the form posts and the page reloads).
(function () {
  "use strict";

  document.querySelectorAll("[data-notifications-read-all]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.flasky.postForm(form).then(function (result) {
        if (!result.ok) { window.flasky.showMessage(result.data.message, "danger"); return; }
        document.querySelectorAll(".list-group-item-info").forEach(function (item) {
          item.classList.remove("list-group-item-info");
        });
        form.hidden = true;
        if (window.flasky.setUnreadNotifications) { window.flasky.setUnreadNotifications(result.data.unread); }
      }, function () {
        form.submit();  // the request failed on its way: fall back to the plain form post
      });
    });
  });
})();
