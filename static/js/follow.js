// Follow and Unfollow without leaving the profile: the form posts with fetch and the block updates in
// place. Without JavaScript the same form posts normally and the page reloads.
(function () {
  "use strict";

  document.querySelectorAll("[data-follow-form]").forEach(function (form) {
    var block = form.closest("[data-follow-block]");
    var button = form.querySelector("[data-follow-button]");

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // Disabling the focused button drops the focus to the page: a keyboard user would lose their place.
      var hadFocus = document.activeElement === button;
      button.disabled = true;
      window.flasky.postForm(form).then(function (result) {
        var data = result.data;
        if (!result.ok && data.followers === undefined) {  // refused (no permission, say): the server says why
          window.flasky.showMessage(data.message, "danger");
          return;
        }
        var following = data.viewer_follows > 0;
        block.querySelector("[data-followers-count]").textContent = data.followers;
        block.querySelector("[data-following-count]").textContent = data.following;
        form.action = following ? form.dataset.unfollowUrl : form.dataset.followUrl;
        button.textContent = following ? form.dataset.labelUnfollow : form.dataset.labelFollow;
        button.classList.toggle("btn-primary", !following);
        button.classList.toggle("btn-outline-secondary", following);
        window.flasky.showMessage(data.message, data.level === "error" ? "danger" : data.level);
      }, function () {
        form.submit();  // the request failed on its way: fall back to the plain form post
      }).finally(function () {
        button.disabled = false;
        if (hadFocus) { button.focus(); }
      });
    });
  });
})();
