// Admin: live preview of an article's Markdown body. Posts the text to the admin's preview
// endpoint (rendered and sanitised on the server by the site's own renderer) at most every
// 400 ms while typing, and puts the answer in the preview pane. No inline script or style.
(function () {
  "use strict";
  var DELAY_MS = 400;

  function start() {
    var pane = document.getElementById("article-preview");
    var body = document.getElementById("id_body");
    if (!pane || !body || body.tagName !== "TEXTAREA") {
      if (pane) pane.hidden = true; // read-only view (a reviewer): nothing to preview live
      return;
    }
    var output = pane.querySelector(".article-preview-body");
    var form = body.form;
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    var url = pane.getAttribute("data-preview-url");
    var unavailable = pane.getAttribute("data-unavailable");
    var timer = null;
    var sequence = 0;

    // Beside the editor: the body's row and the pane share one wrapper (side by side on a
    // wide screen, the pane below on a narrow one; see articles-admin.css).
    var row = body.closest(".form-row") || body.parentNode;
    var split = document.createElement("div");
    split.className = "article-editor-split";
    row.parentNode.insertBefore(split, row);
    split.appendChild(row);
    split.appendChild(pane);

    function render() {
      var mine = ++sequence;
      var data = new FormData();
      data.append("body", body.value);
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) {
          return response.text().then(function (text) {
            return { ok: response.ok, tooLong: response.status === 413, text: text };
          });
        })
        .then(function (result) {
          if (mine !== sequence) return; // an older answer arriving late
          if (result.ok) {
            output.innerHTML = result.text; // server-sanitised HTML (articles/rendering.py)
          } else {
            output.textContent = result.tooLong ? result.text : unavailable;
          }
        })
        .catch(function () {
          if (mine === sequence) output.textContent = unavailable;
        });
    }

    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, DELAY_MS);
    });
    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
