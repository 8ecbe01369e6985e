// The PDF's waiting page (templates/tracker/pdf_wait.html): checks the job's state and, when
// the PDF is ready, starts the download. Without JavaScript a <noscript> refresh does the same.
(function () {
  "use strict";
  var box = document.getElementById("pdf-job");
  if (!box) return;
  var state = box.dataset.state;
  if (state === "ready") {
    window.location.assign(box.dataset.fileUrl); // an attachment: the page stays
    return;
  }
  if (state !== "queued" && state !== "rendering" && state !== "stuck") return;

  var delay = 800;
  function later() {
    delay = Math.min(delay * 1.25, 4000);
    window.setTimeout(check, delay);
  }
  function check() {
    fetch(box.dataset.statusUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { state: "unavailable" };
      })
      .then(function (data) {
        var waiting = data.state === "queued" || data.state === "rendering";
        if (waiting && state !== "stuck") return later();
        if (data.state === state) return later();
        // Something changed: the page says what (and, once ready, starts the download).
        window.location.reload();
      })
      .catch(later); // offline for a moment: keep checking
  }
  window.setTimeout(check, delay);
})();
