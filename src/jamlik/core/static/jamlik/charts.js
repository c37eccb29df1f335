// Render every Vega-Lite chart on the page with vendored vega-embed.
// Uses Vega's expression interpreter so no eval is needed (strict CSP).
(function () {
  "use strict";
  function render() {
    if (typeof vegaEmbed === "undefined") { return; }
    document.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.dataset.rendered) { return; }
      var source = document.getElementById(el.dataset.vegaSpec);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      el.dataset.rendered = "1";
      vegaEmbed(el, spec, {
        renderer: "svg",
        actions: false,
        ast: true,
        expr: vega.expressionInterpreter,
        defaultStyle: false
      }).catch(function (err) {
        el.textContent = "Diagrammet kunde inte ritas / The chart could not be drawn: " + err.message;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
