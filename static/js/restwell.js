// Progressive enhancement only: every page works without this file.
(function () {
  // Theme toggle: remembers the choice on this device.
  var toggle = document.querySelector("[data-theme-toggle]");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var root = document.documentElement;
      var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-bs-theme", next);
      try { localStorage.setItem("restwell-theme", next); } catch (e) {}
    });
  }

  // Time-zone fields start at the browser's zone when the server has no better idea.
  var zone = null;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) {}
  document.querySelectorAll("select[data-detect-time-zone]").forEach(function (select) {
    if (!zone || (select.value && select.value !== "UTC")) { return; }
    var option = select.querySelector('option[value="' + zone + '"]');
    if (option) { select.value = zone; }
  });

  // A "Show" button beside each new-password field: the password is typed once, so the
  // user can check it. Sign-in fields keep the browser's own behaviour.
  document.querySelectorAll('input[type="password"][autocomplete="new-password"]').forEach(function (input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary btn-sm mt-1";
    button.textContent = "Show password";
    button.setAttribute("aria-controls", input.id);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var showing = input.type === "text";
      input.type = showing ? "password" : "text";
      button.textContent = showing ? "Show password" : "Hide password";
      button.setAttribute("aria-pressed", showing ? "false" : "true");
    });
    input.insertAdjacentElement("afterend", button);
  });

  // Copy buttons: copy the value of the field they name (hidden without JavaScript).
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
})();
