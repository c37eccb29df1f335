/* Data entry grid: the value the typed counts give, shown as the user types.
   A hint only: the server reads the numbers (jamlik.core.number_fields) and computes
   the stored value and its interval (jamlik.stats). Numbers it cannot read here show "–". */
(function () {
  "use strict";
  var grid = document.querySelector("table.entry-grid[data-multiplier]");
  if (!grid) return;
  var multiplier = Number(grid.getAttribute("data-multiplier"));
  var plain = /^-?\d+(,\d+)?$/;
  var grouped = /^-?\d{1,3}( \d{3})+(,\d+)?$/;
  function read(text) {
    var t = text.trim().replace(/[\u00a0\u202f]/g, " ");
    if (!plain.test(t) && !grouped.test(t)) return null;
    return Number(t.replace(/ /g, "").replace(",", "."));
  }
  function show(row) {
    var n = row.querySelector("input[name^='numerator_']");
    var d = row.querySelector("input[name^='denominator_']");
    var out = row.querySelector("[data-preview]");
    if (!n || !d || !out) return;
    var a = read(n.value), b = read(d.value);
    if (a === null || b === null || b <= 0) { out.textContent = "–"; return; }
    out.textContent = (a / b * multiplier).toFixed(1).replace(".", ",");
  }
  grid.addEventListener("input", function (event) {
    var row = event.target.closest("tr");
    if (row) show(row);
  });
})();
