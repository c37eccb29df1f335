// Render every Vega-Lite chart on the page with vendored vega-embed.
// Uses Vega's expression interpreter so no eval is needed (strict CSP).
//
// Numbers print in the page's language: the spec carries its d3 number and
// time locales in usermeta (built once, in jamlik.core.charts), so "0,5" and
// "1 000" on Swedish pages, "0.5" and "1,000" on English ones. Without them
// (a spec from elsewhere) the page's <html lang> picks Swedish or English.
(function () {
  "use strict";
  var SWEDISH = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] };
  var ENGLISH = { decimal: ".", thousands: ",", grouping: [3], currency: ["", "\u00a0SEK"] };

  function pageLanguage() {
    return (document.documentElement.lang || "sv").toLowerCase().indexOf("en") === 0 ? "en" : "sv";
  }

  function emptyText() {
    return pageLanguage() === "en" ? "No values to show" : "Inga värden att visa";
  }

  // Whether any inline data set of the spec (or its layers) has a row.
  function hasValues(spec) {
    if (spec.data && Array.isArray(spec.data.values) && spec.data.values.length) { return true; }
    return ["layer", "hconcat", "vconcat", "concat"].some(function (key) {
      return (spec[key] || []).some(hasValues);
    }) || (spec.spec ? hasValues(spec.spec) : false);
  }

  function options(spec) {
    var meta = spec.usermeta || {};
    var opts = {
      renderer: "svg",
      actions: false,
      ast: true,
      expr: vega.expressionInterpreter,
      defaultStyle: false,
      // The specs are written to compile without warnings (tests/e2e/test_layout.py
      // fails on any, in demo mode); in production a visitor's console stays quiet.
      logLevel: meta.logLevel === "warn" ? vega.Warn : vega.Error,
      formatLocale: meta.formatLocale || (pageLanguage() === "en" ? ENGLISH : SWEDISH)
    };
    if (meta.timeFormatLocale) { opts.timeFormatLocale = meta.timeFormatLocale; }
    return opts;
  }

  function render() {
    if (typeof vegaEmbed === "undefined") { return; }
    document.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.dataset.rendered) { return; }
      var source = document.getElementById(el.dataset.vegaSpec);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      el.dataset.rendered = "1";
      if (!hasValues(spec)) {
        el.removeAttribute("role");
        el.textContent = emptyText();
        el.classList.add("chart-empty");
        return;
      }
      vegaEmbed(el, spec, options(spec)).catch(function (err) {
        el.textContent = "Diagrammet kunde inte ritas / The chart could not be drawn: " + err.message;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
