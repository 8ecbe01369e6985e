// Restwell's service worker, served at /sw.js (portal/pwa.py puts self.RESTWELL above this:
// version, shell files, offline pages, header names). Plain JavaScript, no library.
//
// Caches, all named with the version (a deploy installs a new worker, which drops the rest):
//   restwell-shell-<version>           static files and the /offline/ page: nobody's data;
//   restwell-pages-<version>-<viewer>  the dashboard, night form and dose form as last
//                                      fetched, for ONE viewer (an opaque tag the server sends).
// Whenever a page arrives for nobody (signed out) or for another viewer, every other
// viewer's pages are deleted; signing out also sends Clear-Site-Data.
//
// Requests go through ROUTES, the first match wins; anything unmatched (every POST,
// other sites) goes to the network untouched. The offline queue for forms lives in the page
// (static/js/offline-queue.js: IndexedDB, sent on "online" and on page load); this worker
// only keeps that script in the shell.
"use strict";

var CONFIG = self.RESTWELL;
var SHELL = "restwell-shell-" + CONFIG.version;
var PAGES_PREFIX = "restwell-pages-" + CONFIG.version + "-";
var OFFLINE_COPY_FROM = "data-offline-banner hidden";
var OFFLINE_COPY_TO = "data-offline-banner data-offline-copy";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return Promise.all(CONFIG.shell.map(function (url) {
      // Fetched signed out: the shell never holds anyone's page.
      return fetch(url, { credentials: "omit" }).then(function (response) {
        if (!response.ok) { throw new Error("shell file missing: " + url); }
        return url === CONFIG.offline ? asOfflineCopy(response) : response;
      }).then(function (response) { return cache.put(url, response); });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("restwell-") === 0 && name !== SHELL && name.indexOf(PAGES_PREFIX) !== 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "keep-offline-pages") {
    event.waitUntil(keepOfflinePages());
  }
});

var ROUTES = [
  { match: isOwnPageVisit, handle: pageNetworkFirst },
  { match: isOwnStaticFile, handle: staticCacheFirst },
];

self.addEventListener("fetch", function (event) {
  var request = event.request;
  for (var i = 0; i < ROUTES.length; i++) {
    if (ROUTES[i].match(request)) {
      event.respondWith(ROUTES[i].handle(event));
      return;
    }
  }
});

function sameOrigin(request) {
  return new URL(request.url).origin === self.location.origin;
}

function isOwnPageVisit(request) {
  return request.method === "GET" && request.mode === "navigate" && sameOrigin(request);
}

function isOwnStaticFile(request) {
  return request.method === "GET" && sameOrigin(request) &&
    new URL(request.url).pathname.indexOf("/static/") === 0;
}

// Pages: always the network when there is one (and keep what may be kept); without one, the
// kept copy of this page, else the offline page.
function pageNetworkFirst(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    event.waitUntil(remember(request.url, response.clone()));
    return response;
  }).catch(function () {
    return keptPage(request.url).then(function (kept) {
      return kept || caches.match(CONFIG.offline, { cacheName: SHELL });
    }).then(function (page) {
      return page || Response.error();
    });
  });
}

// Static files: named by their content in production, so a kept one is never stale.
function staticCacheFirst(event) {
  return caches.open(SHELL).then(function (cache) {
    return cache.match(event.request).then(function (hit) {
      return hit || fetch(event.request).then(function (response) {
        if (response.ok) { event.waitUntil(cache.put(event.request, response.clone())); }
        return response;
      });
    });
  });
}

// What a page response says about who is signed in, and whether it may be kept. A page being
// remembered is not fetched again by keepOfflinePages (nor replaced under a reader).
var remembering = {};
function remember(url, response) {
  var done = rememberNow(url, response);
  remembering[url] = done;
  var forget = function () { if (remembering[url] === done) { delete remembering[url]; } };
  done.then(forget, forget);
  return done;
}

function rememberNow(url, response) {
  if (response.type !== "basic") { return Promise.resolve(); }  // a redirect: next hop says
  var viewer = response.headers.get(CONFIG.viewerHeader);
  var keep = viewer && response.ok && !response.redirected &&
    response.headers.get(CONFIG.offlineHeader) === "copy" && !new URL(url).search;
  return forgetAllBut(viewer).then(function () {
    if (!keep) { return; }
    return Promise.all([caches.open(PAGES_PREFIX + viewer), asOfflineCopy(response)])
      .then(function (both) { return both[0].put(url, both[1]); });
  });
}

// Delete every kept page except the given viewer's (all of them for nobody).
function forgetAllBut(viewer) {
  var mine = viewer ? PAGES_PREFIX + viewer : null;
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("restwell-pages-") === 0 && name !== mine;
    }).map(function (name) { return caches.delete(name); }));
  });
}

function keptPage(url) {
  return caches.keys().then(function (names) {
    var kept = names.filter(function (name) { return name.indexOf(PAGES_PREFIX) === 0; });
    if (kept.length !== 1) { return null; }  // none, or (briefly) two viewers: show neither
    return caches.open(kept[0]).then(function (cache) {
      return cache.match(url, { ignoreSearch: true, ignoreVary: true });
    });
  });
}

// Fetch the offline pages not yet kept (once per viewer and version, not on every visit;
// one round at a time).
var keeping = null;
function keepOfflinePages() {
  if (!keeping) {
    keeping = keepMissingPages().then(function () { keeping = null; }, function () { keeping = null; });
  }
  return keeping;
}

function keepMissingPages() {
  return Promise.all(CONFIG.pages.map(function (path) {
    var url = new URL(path, self.location.origin).href;
    return Promise.resolve(remembering[url]).then(function () {
      return keptPage(url);
    }).then(function (kept) {
      if (kept) { return; }
      // A background fetch must leave cookies alone, or a late answer could put back an old
      // CSRF cookie under a page someone is signing in on: it is not followed to the sign-in
      // page, and the header asks the server not to renew the CSRF cookie.
      var init = { credentials: "same-origin", redirect: "manual", headers: {} };
      init.headers[CONFIG.keepHeader] = "offline";
      return fetch(url, init).then(function (response) {
        return remember(url, response);
      }, function () { /* offline: next time */ });
    });
  }));
}

// The copy shows the offline banner (its `hidden` removed), with or without JavaScript.
function asOfflineCopy(response) {
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Length");  // the body changes length
    return new Response(html.replace(OFFLINE_COPY_FROM, OFFLINE_COPY_TO), {
      status: response.status,
      statusText: response.statusText,
      headers: headers,
    });
  });
}
