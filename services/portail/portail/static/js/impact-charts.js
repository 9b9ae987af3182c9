// The impact report's bar charts, drawn by the vendored Chart.js from the figures the page
// carries (a JSON block, the same data the PDF draws): the table under each chart says the
// same for screen readers.
(function () {
  var source = document.getElementById("impact-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#005a8c", "#1e6b3a", "#8a4b00"];
  var euros = new Intl.NumberFormat("fr-FR", {style: "currency", currency: "EUR",
                                               maximumFractionDigits: 0});
  var plain = new Intl.NumberFormat("fr-FR", {maximumFractionDigits: 1});
  window.impactCharts = {};
  data.charts.forEach(function (chart) {
    var canvas = document.getElementById("chart-" + chart.key);
    if (!canvas) { return; }
    var format = chart.money ? euros : plain;
    window.impactCharts[chart.key] = new Chart(canvas, {
      type: "bar",
      data: {labels: chart.labels, datasets: chart.series.map(function (series, index) {
        return {label: series.name, data: series.values,
                backgroundColor: colours[index % colours.length]};
      })},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                scales: {y: {beginAtZero: true, ticks: {precision: chart.money ? undefined : 0,
                  callback: function (value) { return format.format(value); }}}},
                plugins: {tooltip: {callbacks: {label: function (item) {
                  return item.dataset.label + " : " + format.format(item.parsed.y); }}}}}
    });
  });
}());
