// Site-wide behaviour: relative times kept current, the browser's time zone remembered, small conveniences.
// Loaded on every page; no inline scripts anywhere (the Content Security Policy forbids them).
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  // Remember the browser's time zone so the server renders times in it for readers without a preference.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var stored = (document.cookie.match(/(?:^|; )tz=([^;]*)/) || [])[1];
    if (zone && decodeURIComponent(stored || "") !== zone) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* no Intl support: times stay in UTC, as rendered */ }

  // "3 minutes ago", kept current while the page is open. The server renders the same text first, or (in
  // the cached cards, which hold nothing of the reader: blog/cards.py) the date and time in UTC.
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
               ["hour", 3600], ["minute", 60], ["second", 1]];
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  // Tooltips give the full date and time in the reader's time zone (their preference, as the server
  // rendered the page), falling back to the browser's if the zone is unknown to it.
  var absolute = null;
  try {
    absolute = new Intl.DateTimeFormat(lang, {
      dateStyle: "long", timeStyle: "short", timeZone: document.documentElement.getAttribute("data-time-zone") || undefined
    });
  } catch (e) {
    absolute = window.Intl ? new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }) : null;
  }

  function describe(date) {
    var seconds = Math.round((date.getTime() - Date.now()) / 1000);
    for (var i = 0; i < units.length; i++) {
      var size = units[i][1];
      if (Math.abs(seconds) >= size || units[i][0] === "second") {
        if (units[i][0] === "second" && Math.abs(seconds) < 45) { return relative.format(0, "second"); }
        return relative.format(Math.round(seconds / size), units[i][0]);
      }
    }
    return "";
  }

  // Dates shown as dates (a talk's), in the reader's language and zone: cached cards carry them in UTC.
  var local = null;
  try {
    local = new Intl.DateTimeFormat(lang, {
      dateStyle: "medium", timeStyle: "short", timeZone: document.documentElement.getAttribute("data-time-zone") || undefined
    });
  } catch (e) {
    local = absolute;
  }
  if (local) {
    document.querySelectorAll("time[data-localtime]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date.getTime())) { return; }
      el.textContent = local.format(date);
      if (absolute) { el.title = absolute.format(date); }
    });
  }

  function refreshTimes() {
    if (!relative) { return; }
    document.querySelectorAll("time[data-reltime]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date.getTime())) { return; }
      el.textContent = describe(date);
      if (absolute) { el.title = absolute.format(date); }
    });
  }
  refreshTimes();
  window.setInterval(refreshTimes, 30000);

  // Avatars come from Gravatar unless uploaded; where Gravatar cannot be reached (offline, an intranet),
  // show the site's own silhouette instead of a broken image.
  var fallbackAvatar = document.documentElement.getAttribute("data-fallback-avatar");
  function useFallback(img) {
    if (fallbackAvatar && img.getAttribute("src") !== fallbackAvatar) { img.src = fallbackAvatar; }
  }
  document.addEventListener("error", function (event) {
    if (event.target.matches && event.target.matches("img.avatar")) { useFallback(event.target); }
  }, true);
  document.querySelectorAll("img.avatar").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0) { useFallback(img); }
  });

  // The language switcher submits itself when a language is picked (the button remains for keyboards
  // and browsers without JavaScript).
  document.querySelectorAll(".language-switcher select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  window.flasky = window.flasky || {};

  // Ask the server for JSON with the session cookie: resolves to {ok, data} (data is the JSON body, also of
  // an error answer, whose data.message is meant for the reader), rejects when the network fails or the
  // answer is not JSON. Callers pass their success and failure handlers to one .then(onResult, onFailure),
  // so that an error in the success handler is never taken for a failed request (and sent again).
  window.flasky.fetchJSON = function (url, options) {
    var headers = Object.assign({ "Accept": "application/json" }, (options && options.headers) || {});
    return fetch(url, Object.assign({ credentials: "same-origin" }, options, { headers: headers }))
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      });
  };

  // Post a form's fields (its CSRF token among them) with fetchJSON.
  window.flasky.postForm = function (form) {
    return window.flasky.fetchJSON(form.action, { method: "POST", body: new FormData(form) });
  };

  // A message to show on the next page this tab opens (a script that acts, then goes to another page).
  window.flasky.showMessageAfterLoad = function (text, level) {
    try {
      window.sessionStorage.setItem("flasky.message", JSON.stringify({ text: text, level: level }));
    } catch (e) { /* storage disabled: the next page simply shows no message */ }
  };

  // Show a message as the server's messages are shown (used by scripts that act without a reload).
  window.flasky.showMessage = function (text, level) {
    var main = document.getElementById("content");
    var box = main.querySelector(".messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "messages";
      box.setAttribute("aria-live", "polite");
      main.insertBefore(box, main.firstChild);
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (level || "info") + " alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", document.documentElement.getAttribute("data-close-label") || "Close");
    alert.appendChild(close);
    box.replaceChildren(alert);
  };

  try {
    var pending = window.sessionStorage.getItem("flasky.message");
    if (pending) {
      window.sessionStorage.removeItem("flasky.message");
      pending = JSON.parse(pending);
      window.flasky.showMessage(pending.text, pending.level);
    }
  } catch (e) { /* storage disabled, or not our JSON: nothing to show */ }

  // Like and Bookmark in place: <form data-toggle-form="liked|bookmarked"> posts with fetch, and its button's
  // aria-pressed, its "undo" field and the like count follow the server's answer. Without JavaScript the same
  // form posts and the server sends the reader back to where they were.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-toggle-form]");
    if (!form) { return; }
    event.preventDefault();
    var button = form.querySelector("[data-toggle-button]");
    var hadFocus = document.activeElement === button;  // disabling it drops the focus: given back below
    button.disabled = true;
    window.flasky.postForm(form).then(function (result) {
      if (!result.ok) { window.flasky.showMessage(result.data.message, "danger"); return; }
      var on = Boolean(result.data[form.dataset.toggleForm]);
      var undo = form.querySelector("input[name=undo]");
      if (on && !undo) {
        undo = document.createElement("input");
        undo.type = "hidden";
        undo.name = "undo";
        undo.value = "1";
        form.appendChild(undo);
      } else if (!on && undo) {
        undo.remove();
      }
      button.setAttribute("aria-pressed", on ? "true" : "false");
      var outline = button.className.match(/btn-outline-(\w+)|btn-(danger|secondary)/);
      var color = outline && (outline[1] || outline[2]);
      if (color) {
        button.classList.toggle("btn-" + color, on);
        button.classList.toggle("btn-outline-" + color, !on);
      }
      var count = form.closest("[data-toggle]") && form.closest("[data-toggle]").querySelector("[data-like-count]");
      if (count && result.data.like_count !== undefined) { count.textContent = result.data.like_count; }
    }, function () {
      form.submit();  // the request failed on its way: fall back to the plain form post
    }).finally(function () {
      button.disabled = false;
      if (hadFocus) { button.focus(); }
    });
  });

  // Buttons that ask before doing something destructive: <button data-confirm="Are you sure?">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
})();

// The navbar's bell: its unread count kept current by asking a cheap endpoint every 45 seconds while the tab
// is visible (and at once when it becomes visible again).
(function () {
  "use strict";

  var bell = document.querySelector("[data-notifications-bell]");
  if (!bell || !window.fetch) { return; }
  var badge = bell.querySelector("[data-notifications-count]");
  var status = bell.parentNode.querySelector("[data-notifications-status]");
  var current = parseInt(badge.textContent, 10) || 0;
  var timer = null;

  window.flasky.setUnreadNotifications = function (count) {
    var label = count > 0 ? bell.getAttribute("data-label-some").replace("{count}", count)
                          : bell.getAttribute("data-label-none");
    badge.textContent = count;
    badge.hidden = count === 0;
    bell.setAttribute("aria-label", label);
    if (count !== current && status) { status.textContent = count > 0 ? label : ""; }
    current = count;
  };

  function poll() {
    window.flasky.fetchJSON(bell.getAttribute("data-count-url")).then(function (result) {
      if (result.ok && typeof result.data.unread === "number") { window.flasky.setUnreadNotifications(result.data.unread); }
    }, function () { /* offline for a moment: the next poll tries again */ });
  }

  function start() { if (!timer) { timer = window.setInterval(poll, 45000); } }
  function stop() { if (timer) { window.clearInterval(timer); timer = null; } }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stop(); } else { poll(); start(); }
  });
  if (!document.hidden) { start(); }
})();
