// Live "= N mg elemental" preview on the dose and product forms. Optional: the server
// converts and validates on submit, so the form works the same without this file.
(function () {
  document.querySelectorAll("form[data-conversion]").forEach(function (form) {
    var output = form.querySelector("[data-conversion-output]");
    var amount = form.querySelector("[name=amount_mg]");
    var kind = form.querySelector("[name=form]");
    if (!output || !amount || !kind) { return; }
    function update() {
      var unit = form.querySelector("[name=unit]:checked");
      var value = parseFloat(amount.value);
      if (!unit || unit.value !== "compound" || !(value > 0)) { output.textContent = ""; return; }
      var fraction = parseFloat(form.getAttribute("data-fraction-" + kind.value));
      if (!(fraction > 0)) { output.textContent = form.getAttribute("data-text-other") || ""; return; }
      var mg = Math.round(value * fraction * 10) / 10;
      output.textContent = (form.getAttribute("data-text-result") || "= {mg} mg").replace("{mg}", mg);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
})();
