// Runs in <head>: apply the chosen theme (or the system's) before the page paints.
(function () {
  var stored = null;
  try { stored = localStorage.getItem("restwell-theme"); } catch (e) {}
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-bs-theme", stored || (dark ? "dark" : "light"));
})();
