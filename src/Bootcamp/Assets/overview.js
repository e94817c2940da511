// Draws the overview's charts from the page's JSON block (the CSP allows no inline script).
(function () {
  "use strict";
  var block = document.getElementById("overview-data");
  if (!block || typeof Chart === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var ink = dark ? "#e4e7eb" : "#1f2933";
  var grid = dark ? "rgba(228,231,235,0.15)" : "rgba(31,41,51,0.12)";
  Chart.defaults.color = ink;
  Chart.defaults.borderColor = grid;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  // Figures change on reload only; no animation keeps the page calm and screenshots exact.
  Chart.defaults.animation = false;
  var common = { responsive: true, maintainAspectRatio: false };

  new Chart(document.getElementById("funnel-chart"), {
    type: "bar",
    data: { labels: data.funnel.labels, datasets: [{ label: "Readers", data: data.funnel.counts, backgroundColor: dark ? "#7fb7be" : "#2f5d62" }] },
    options: Object.assign({ indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }, common)
  });

  new Chart(document.getElementById("trend-chart"), {
    type: "line",
    data: {
      labels: data.trend.labels,
      datasets: [
        { label: "Sign-ups", data: data.trend.signedUp, borderColor: "#2f6fbf", backgroundColor: "#2f6fbf", pointRadius: 0, borderWidth: 2 },
        { label: "Confirmations", data: data.trend.confirmed, borderColor: "#b3541e", backgroundColor: "#b3541e", pointRadius: 0, borderWidth: 2, borderDash: [6, 3] },
        { label: "Finishes", data: data.trend.finished, borderColor: "#2e7d32", backgroundColor: "#2e7d32", pointRadius: 0, borderWidth: 2, borderDash: [2, 2] }
      ]
    },
    options: Object.assign({ interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, common)
  });
})();
