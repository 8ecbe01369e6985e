// "Turn on reminders on this device": subscribes this browser to Web Push with the site's
// VAPID key and sends the subscription to the server. Shown only where the browser can do
// it (a service worker and PushManager); the texts come from the page (translated there).
(function () {
  "use strict";
  var box = document.querySelector("[data-push]");
  if (!box) { return; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    var unsupported = document.querySelector("[data-push-unsupported]");
    if (unsupported) { unsupported.hidden = false; }
    return;
  }
  box.hidden = false;
  var button = box.querySelector("[data-push-subscribe]");
  var status = box.querySelector("[data-push-status]");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]");

  function say(text) { status.textContent = text; }

  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  // A browser without a reachable push service may never answer: give up after a while.
  var PATIENCE_MS = 10000;

  function subscription(registration) {
    var asked = registration.pushManager.getSubscription().then(function (existing) {
      return existing || registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.getAttribute("data-vapid-key")),
      });
    });
    var patience = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("no answer")); }, PATIENCE_MS);
    });
    return Promise.race([asked, patience]);
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say(box.getAttribute("data-text-working"));
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        throw { ours: box.getAttribute("data-text-denied") };
      }
      return navigator.serviceWorker.ready;
    }).then(subscription).then(function (found) {
      return fetch(box.getAttribute("data-subscribe-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify(found),
      });
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) { throw { ours: answer.message || box.getAttribute("data-text-failed") }; }
        say(answer.message || "");
        if (box.hasAttribute("data-push-reload")) { window.location.reload(); }
      });
    }).catch(function (error) {
      // Our own words (permission refused, the server's answer); a browser's error (no push
      // service reachable, blocked) is not for the person reading: the general sentence.
      say((error && error.ours) || box.getAttribute("data-text-failed"));
      button.disabled = false;
    });
  });
})();
