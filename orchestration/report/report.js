// Draws every chart of the report from the JSON beside it (#chart-specs) with plotly.js, and
// marks the page when all are drawn (data-charts-drawn) or one failed (data-charts-failed),
// so that a test or a screenshot can wait for the real end instead of guessing a delay.
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  var drawing = Array.prototype.map.call(document.querySelectorAll("[data-chart]"), function (div) {
    var spec = specs[div.dataset.chart];
    return Plotly.newPlot(div, spec.data, spec.layout, config);
  });
  Promise.all(drawing).then(function (drawn) {
    document.body.dataset.chartsDrawn = String(drawn.length);
  }, function (error) {
    document.body.dataset.chartsFailed = String(error);
    console.error("a chart could not be drawn:", error);
  });
})();
