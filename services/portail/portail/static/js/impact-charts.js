// The impact dashboard's charts, drawn by the vendored Chart.js from the figures the page
// carries (a JSON block): the tables under them say the same for screen readers.
(function () {
  var source = document.getElementById("impact-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var euros = new Intl.NumberFormat("fr-FR", {style: "currency", currency: "EUR",
                                               maximumFractionDigits: 0});
  window.impactCharts = {};
  var answers = document.getElementById("chart-answers");
  if (answers) {
    window.impactCharts.answers = new Chart(answers, {
      type: "bar",
      data: {labels: data.months, datasets: [
        {label: "Réponses déposées", data: data.submitted, backgroundColor: "#005a8c"},
        {label: "Marchés gagnés", data: data.won, backgroundColor: "#1e6b3a"}]},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
    });
  }
  var amounts = document.getElementById("chart-amounts");
  if (amounts) {
    window.impactCharts.amounts = new Chart(amounts, {
      type: "bar",
      data: {labels: data.months, datasets: [
        {label: "Montants gagnés (euros HT)", data: data.amounts, backgroundColor: "#8a4b00"}]},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
                scales: {y: {beginAtZero: true, ticks: {callback: function (value) {
                  return euros.format(value); }}}},
                plugins: {tooltip: {callbacks: {label: function (item) {
                  return euros.format(item.parsed.y); }}}}}
    });
  }
}());
