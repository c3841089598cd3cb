// The schedule: delete appointments in place with a DELETE request (answered with JSON), and date-only inputs
// while "All day" is ticked. Without JavaScript, Delete opens a confirmation page whose form deletes.
(function () {
  "use strict";

  // Delete links ask first (site.js handles data-confirm and cancels the click if the answer is no).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-delete-url]");
    var container = link && link.closest("[data-schedule]");
    if (!container || event.defaultPrevented) { return; }
    event.preventDefault();
    window.flasky.fetchJSON(link.getAttribute("data-delete-url"), {
      method: "DELETE",
      headers: { "X-CSRFToken": container.getAttribute("data-csrf-token") }
    }).then(function (result) {
      if (!result.ok) {
        window.flasky.showMessage(result.data.message || container.getAttribute("data-label-failed"), "danger");
        return;
      }
      var after = container.getAttribute("data-after-delete");
      if (after) {
        window.flasky.showMessageAfterLoad(result.data.message, "success");
        window.location.assign(after);
        return;
      }
      removeAppointment(container, link.closest("[data-appointment]"));
      window.flasky.showMessage(result.data.message, "success");
    }, function () {
      // The network failed, or the answer was not ours: say so in the reader's language.
      window.flasky.showMessage(container.getAttribute("data-label-failed"), "danger");
    });
  });

  function removeAppointment(container, item) {
    var day = item.closest("[data-day]");
    item.remove();
    if (day && !day.querySelector("[data-appointment]")) { day.remove(); }
    if (!container.querySelector("[data-appointment]")) {
      var empty = container.querySelector("[data-empty]");
      if (empty) { empty.hidden = false; }
    }
  }

  // "All day": the start and end become dates (the server reads a date alone as that day).
  document.querySelectorAll("form[data-appointment-form]").forEach(function (form) {
    var allDay = form.querySelector("[name=all_day]");
    var inputs = [form.querySelector("[name=start]"), form.querySelector("[name=end]")];
    if (!allDay) { return; }
    function sync() {
      inputs.forEach(function (input) {
        if (!input) { return; }
        var value = input.value;
        if (allDay.checked && input.type !== "date") {
          input.type = "date";
          input.value = value.slice(0, 10);
        } else if (!allDay.checked && input.type !== "datetime-local") {
          input.type = "datetime-local";
          input.value = value ? value.slice(0, 10) + "T" + (value.length > 10 ? value.slice(11, 16) : "09:00") : "";
        }
      });
    }
    allDay.addEventListener("change", sync);
    sync();
  });

  // The calendar address is selected whole when focused, ready to copy.
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
