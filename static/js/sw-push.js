// Reminder notifications (Web Push). portal/pwa.py serves this file after sw.js, as one
// service worker script: these listeners are its push part.
//
// A push carries JSON (reminders/notifications.py): title, body, tag, url (the dashboard) and
// actions, each with the signed link of the email's button. An action POSTs to its link (the
// same POST-only endpoint as the email's button), then opens that link, which says what
// happened; a plain click opens the dashboard. Only links to this site are followed.
"use strict";

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var links = {};
  var actions = (Array.isArray(data.actions) ? data.actions : []).filter(function (action) {
    return action && ownUrl(action.url);
  }).map(function (action) {
    links[action.action] = action.url;
    return { action: String(action.action), title: String(action.title) };
  });
  event.waitUntil(self.registration.showNotification(data.title || "Restwell", {
    body: data.body || "",
    tag: data.tag || "restwell",
    renotify: Boolean(data.tag),
    icon: ownUrl(data.icon) ? data.icon : undefined,
    actions: actions,
    data: { url: ownUrl(data.url) ? data.url : "/tracker/", links: links },
  }));
});

self.addEventListener("notificationclick", function (event) {
  var notification = event.notification;
  var data = notification.data || {};
  var link = event.action && data.links ? data.links[event.action] : null;
  notification.close();
  if (link) {
    event.waitUntil(fetch(link, { method: "POST", credentials: "same-origin" })
      .catch(function () { /* Offline: the page opened next offers the same button. */ })
      .then(function () { return openPage(link); }));
    return;
  }
  event.waitUntil(openPage(data.url || "/tracker/"));
});

function ownUrl(url) {
  try { return new URL(url, self.location.origin).origin === self.location.origin; }
  catch (e) { return false; }
}

function openPage(url) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (open) {
    for (var i = 0; i < open.length; i++) {
      if (open[i].url === url && "focus" in open[i]) { return open[i].focus(); }
    }
    return self.clients.openWindow(url);
  });
}
