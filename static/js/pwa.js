// The installable app, as progressive enhancement: every page works without this file.
// 1. Registers the service worker (/sw.js) and, when signed in, asks it to keep the offline
//    pages. 2. Shows the offline banner while the browser has no connection, and keeps a form
//    from being sent into nothing. 3. Offers "Add to home screen" politely: from the third
//    visit (a visit starts after 30 minutes away), never again once dismissed.
(function () {
  var signedIn = document.body.hasAttribute("data-signed-in");

  // --- Service worker -------------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (signedIn && registration.active) {
        registration.active.postMessage({ type: "keep-offline-pages" });
      }
    }).catch(function () { /* No worker (private mode, old browser): pages work as before. */ });
  }

  // --- Offline banner -------------------------------------------------------------------
  var banner = document.querySelector("[data-offline-banner]");
  // A copy the worker served has its banner shown already (data-offline-copy): it stays.
  var isCopy = banner && banner.hasAttribute("data-offline-copy");
  function showConnection() {
    if (banner && !isCopy) { banner.hidden = navigator.onLine; }
  }
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();
  // Offline, a form would be sent into nothing and what was typed lost: keep it on the page.
  // --- offline queue: a form it queued (static/js/offline-queue.js) is handled already ---
  document.addEventListener("submit", function (event) {
    if (navigator.onLine || !banner || event.defaultPrevented) { return; }
    event.preventDefault();
    banner.hidden = false;
    banner.focus();
  }, true);

  // --- Install prompt -------------------------------------------------------------------
  var bar = document.querySelector("[data-install-bar]");
  if (!bar || !signedIn) { return; }
  var KEY = "restwell-install";
  var VISIT_GAP_MS = 30 * 60 * 1000;
  var FROM_VISIT = 3;
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(state) {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  var state = load();
  var now = Date.now();
  if (!state.lastSeen || now - state.lastSeen > VISIT_GAP_MS) { state.visits = (state.visits || 0) + 1; }
  state.lastSeen = now;
  save(state);

  var standalone = (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) ||
    navigator.standalone === true;
  var welcome = !standalone && !state.done && state.visits >= FROM_VISIT;
  var deferred = null;

  function finish() {
    state = load();
    state.done = true;
    save(state);
    bar.hidden = true;
  }
  function offer(kind) {
    bar.querySelector(kind === "ios" ? "[data-install-ios]" : "[data-install-other]").hidden = false;
    bar.querySelector("[data-install-accept]").hidden = kind === "ios";
    bar.hidden = false;
  }

  // Chromium: keep its own banner away (first visits included); offer ours when welcome.
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    deferred = event;
    if (welcome) { offer("prompt"); }
  });
  window.addEventListener("appinstalled", finish);
  bar.querySelector("[data-install-accept]").addEventListener("click", function () {
    if (!deferred) { return; }
    deferred.prompt();
    // Installed or declined in the browser's own dialog: either way, never asked again.
    deferred.userChoice.then(finish, finish);
    deferred = null;
  });
  bar.querySelector("[data-install-dismiss]").addEventListener("click", finish);

  // iOS Safari has no install event: a one-line hint, under the same rule.
  var ios = /iPad|iPhone|iPod/.test(navigator.userAgent) ||
    (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  if (ios && welcome) { offer("ios"); }
})();
