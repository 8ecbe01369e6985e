// The offline queue: without a connection, the forms marked data-queue (the one-tap "I took
// my magnesium now", the dose form and the night form) are kept on this device (IndexedDB)
// instead of being lost, and sent when the connection returns (the "online" event, and every
// page load). Plain JavaScript, no library; every form still works without this file.
//
// - Each form gets an idempotency key (a UUID) when it is first submitted, online or not, and
//   the one-tap form the moment of the tap; the server does a write once per key and answers
//   a repeat with the first answer (tracker/views/idempotent.py). A double tap, a retry after
//   a dropped connection, or a queue sent twice never logs twice.
// - Sending reads the CSRF cookie at that moment (X-CSRFToken), so a token that went stale
//   while the entry waited is never used; without a cookie it fetches a page to get one.
// - Entries belong to one person (the page's opaque viewer tag): a page for someone else
//   deletes them, as the service worker deletes kept pages. Signing out clears them too
//   (Clear-Site-Data: "storage").
// - The panel ([data-offline-queue]) says what is waiting, what was sent, and what the server
//   refused with its reasons: a refused entry stays until the user opens it to fix it (the
//   form comes back with the answers and the errors) or discards it. Nothing is dropped
//   silently.
(function () {
  "use strict";
  var panel = document.querySelector("[data-offline-queue]");
  if (!panel || !window.indexedDB || !window.fetch || !window.Promise) { return; }

  var DB_NAME = "restwell-queue";
  var STORE = "entries";
  var RETRY_MS = 15000;
  var viewer = panel.getAttribute("data-viewer");
  var summary = panel.querySelector("[data-queue-summary]");
  var list = panel.querySelector("[data-queue-list]");
  var lang = undefined;  // dates and times in the browser's own conventions (24-hour below)
  var sent = [];          // sent from this page: [{what, messages}]
  var needsSignIn = false;

  function text(name, values) {
    var result = panel.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      result = result.split("{" + key + "}").join(values[key]);
    });
    return result;
  }

  // --- Storage (IndexedDB) --------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function inStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request && request.result); };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function entries() {
    return inStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).sort(function (a, b) { return a.queuedAt - b.queuedAt; });
    });
  }
  function keep(entry) { return inStore("readwrite", function (store) { store.put(entry); }); }
  function forget(key) { return inStore("readwrite", function (store) { store.delete(key); }); }

  // --- Keys ------------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function hiddenInput(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
    return input;
  }

  // The first submission fixes the key (and the tap's moment): a second tap sends the same.
  function keyOf(form) {
    var input = form.querySelector('input[name="idempotency_key"]');
    if (input) { return input.value; }
    if (form.getAttribute("data-queue") === "dose-now") {
      hiddenInput(form, "tapped_at", new Date().toISOString()).setAttribute("data-queue-added", "");
    }
    input = hiddenInput(form, "idempotency_key", newKey());
    input.setAttribute("data-queue-added", "");
    return input.value;
  }

  // Once an entry is sent, the form it came from starts a new entry next time.
  function releaseForms(key) {
    document.querySelectorAll('form[data-queue] input[name="idempotency_key"]').forEach(function (input) {
      if (input.value !== key) { return; }
      input.form.querySelectorAll("[data-queue-added]").forEach(function (added) { added.remove(); });
    });
  }

  // --- Queueing a form -------------------------------------------------------------------
  // On window, capturing: before pwa.js's document listener, which then leaves it alone.
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-queue")) { return; }
    var key = keyOf(form);
    if (navigator.onLine) { return; }  // sent now, as usual, with its key
    event.preventDefault();
    var data;
    try { data = new FormData(form, event.submitter); } catch (e) { data = new FormData(form); }
    var fields = [];
    data.forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") { fields.push([name, value]); }
    });
    keep({
      key: key,
      viewer: viewer,
      url: form.action,
      kind: form.getAttribute("data-queue"),
      fields: fields,
      queuedAt: Date.now(),
      state: "waiting",
      errors: [],
    }).then(render).then(function () {
      panel.focus();
    }, function () {
      // No storage (private mode, full disk): what was typed stays on the page, as before.
      var banner = document.querySelector("[data-offline-banner]");
      if (banner) { banner.hidden = false; banner.focus(); }
    });
  }, true);

  // --- Sending ---------------------------------------------------------------------------
  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) {
      return part.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function csrfToken(fresh) {
    var name = panel.getAttribute("data-csrf-cookie");
    if (!fresh && cookie(name)) { return Promise.resolve(cookie(name)); }
    // A page with a form sets the cookie (the token's secret) if the browser has none.
    return fetch(panel.getAttribute("data-token-url"), { credentials: "same-origin" })
      .then(function () { return cookie(name); });
  }

  function post(entry, token) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Restwell-Queue": "1" },
    });
  }

  function reasonsIn(html, status) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var found = [];
    page.querySelectorAll("main .invalid-feedback, main .errorlist li, main .alert-danger").forEach(function (node) {
      var said = node.textContent.replace(/\s+/g, " ").trim();
      if (said && found.indexOf(said) < 0) { found.push(said); }
    });
    return found.length ? found : [text("failed", { code: status })];
  }

  function refuse(entry, reasons) {
    entry.state = "refused";
    entry.errors = reasons;
    return keep(entry).then(function () { return true; });
  }

  // Resolves true to go on with the next entry, false to stop for now.
  function sendOne(entry, retried) {
    return csrfToken(retried).then(function (token) {
      return post(entry, token);
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
        return response.json().then(function (answer) {
          if (answer.status === "saved" || answer.status === "replayed") {
            sent.push({ what: label(entry), messages: answer.messages || [] });
            releaseForms(entry.key);
            return forget(entry.key).then(function () { return true; });
          }
          if (answer.status === "busy") { retryLater(); return false; }
          return refuse(entry, answer.messages || []);
        });
      }
      if (response.status === 403 && !retried) { return sendOne(entry, true); }  // stale CSRF
      if (new URL(response.url).pathname === panel.getAttribute("data-login-url")) {
        needsSignIn = true;
        return false;
      }
      if (response.status === 429 || response.status >= 500) { retryLater(); return false; }
      return response.text().then(function (html) { return refuse(entry, reasonsIn(html, response.status)); });
    }, function () {
      return false;  // the connection went again: the next "online" sends it
    });
  }

  var retryTimer = null;
  function retryLater() {
    if (!retryTimer) { retryTimer = setTimeout(function () { retryTimer = null; sendAll(); }, RETRY_MS); }
  }

  function sendWaiting() {
    return entries().then(function (all) {
      // Someone else's entries never go out under this account.
      return Promise.all(all.filter(function (entry) { return entry.viewer !== viewer; })
        .map(function (entry) { return forget(entry.key); })).then(function () {
        return all.filter(function (entry) { return entry.viewer === viewer && entry.state === "waiting"; });
      });
    }).then(function (waiting) {
      return waiting.reduce(function (chain, entry) {
        return chain.then(function (goOn) { return goOn && navigator.onLine ? sendOne(entry) : false; });
      }, Promise.resolve(true));
    });
  }

  var sending = null;
  function sendAll() {
    if (!navigator.onLine) { return render(); }
    if (!sending) {
      needsSignIn = false;
      // One tab at a time (the keys would keep a second one from logging twice anyway).
      var run = navigator.locks ? navigator.locks.request("restwell-queue", sendWaiting) : sendWaiting();
      sending = run.catch(function () {}).then(function () { sending = null; return render(); });
    }
    return sending;
  }

  // --- What the page says ----------------------------------------------------------------
  function field(entry, name) {
    var pair = entry.fields.filter(function (p) { return p[0] === name; })[0];
    return pair ? pair[1] : "";
  }

  function label(entry) {
    if (entry.kind === "night") {
      var parts = field(entry, "evening").split("-").map(Number);
      var evening = new Date(parts[0], parts[1] - 1, parts[2]);
      var date = isNaN(evening) ? field(entry, "evening") :
        evening.toLocaleDateString(lang, { weekday: "short", day: "numeric", month: "short" });
      return text("night", { date: date });
    }
    var tapped = entry.kind === "dose-now";
    var when = new Date(tapped ? field(entry, "tapped_at") : field(entry, "taken_at"));
    var time = isNaN(when) ? "" : when.toLocaleString(lang, {
      weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    return text(tapped ? "dose-now" : "dose", { time: time });
  }

  function item(className) {
    var li = document.createElement("li");
    li.className = className;
    list.appendChild(li);
    return li;
  }

  function button(name, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-outline-secondary me-2 mt-1";
    b.textContent = text(name);
    b.addEventListener("click", onClick);
    return b;
  }

  // The form again, sent as a normal POST: the server shows it with the answers and errors.
  function openToFix(entry) {
    csrfToken(false).then(function (token) {
      var form = document.createElement("form");
      form.method = "post";
      form.action = entry.url;
      form.hidden = true;
      entry.fields.forEach(function (pair) { hiddenInput(form, pair[0], pair[1]); });
      hiddenInput(form, "csrfmiddlewaretoken", token);
      document.body.appendChild(form);
      return forget(entry.key).then(function () { form.submit(); });
    });
  }

  function render() {
    return entries().then(function (all) {
      var mine = all.filter(function (entry) { return entry.viewer === viewer; });
      var waiting = mine.filter(function (entry) { return entry.state === "waiting"; });
      var refused = mine.filter(function (entry) { return entry.state === "refused"; });
      list.textContent = "";
      var words = "";
      if (waiting.length) {
        words = text((navigator.onLine ? "sending-" : "waiting-") + (waiting.length === 1 ? "one" : "many"),
          { count: waiting.length });
        if (needsSignIn) { words += " " + text("sign-in"); }
      }
      summary.textContent = words;
      summary.hidden = !words;
      waiting.forEach(function (entry) {
        item("offline-queue__waiting").textContent = label(entry);
      });
      refused.forEach(function (entry) {
        var li = item("offline-queue__refused");
        var head = document.createElement("strong");
        head.textContent = text("refused", { what: label(entry) });
        li.appendChild(head);
        entry.errors.forEach(function (reason) {
          var p = document.createElement("span");
          p.className = "d-block";
          p.textContent = reason;
          li.appendChild(p);
        });
        li.appendChild(button("fix", function () { openToFix(entry); }));
        li.appendChild(button("discard", function () { forget(entry.key).then(render); }));
      });
      sent.forEach(function (done) {
        item("offline-queue__sent").textContent =
          [text("sent", { what: done.what })].concat(done.messages).join(" ");
      });
      panel.hidden = !(waiting.length || refused.length || sent.length);
    }).catch(function () { /* storage unavailable: nothing queued, nothing to say */ });
  }

  // A kept copy of the dose form is as old as the copy: its time starts at now instead.
  var banner = document.querySelector("[data-offline-banner]");
  if (banner && banner.hasAttribute("data-offline-copy")) {
    var takenAt = document.querySelector('form[data-queue="dose"] input[name="taken_at"]');
    if (takenAt) {
      var now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
      takenAt.value = now.toISOString().slice(0, 16);
    }
  }

  window.addEventListener("online", sendAll);
  window.addEventListener("offline", render);
  sendAll();
})();
