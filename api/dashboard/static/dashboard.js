// Draw each .chart from its JSON data block with plotly.js (served by the app, no CDN).
// Progressive: every figure is also a table on the page; charts only add a picture.
(function () {
  "use strict";
  var COLORS = {critical: "#7f1d1d", high: "#dc2626", medium: "#f59e0b", low: "#64748b"};
  var LAYOUT = {margin: {l: 48, r: 12, t: 8, b: 40}, height: 260, barmode: "stack",
                paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
                legend: {orientation: "h"}, font: {size: 12}};
  var CONFIG = {displayModeBar: false, responsive: true};

  function data(el) {
    return JSON.parse(document.getElementById(el.dataset.src).textContent);
  }

  var draw = {
    severity: function (el, rows) {
      var x = rows.map(function (r) { return r.severity; });
      return [
        {type: "bar", name: "in force", x: x, y: rows.map(function (r) { return r.in_force; }),
         marker: {color: x.map(function (s) { return COLORS[s]; })}},
        {type: "bar", name: "upcoming", x: x, y: rows.map(function (r) { return r.upcoming; }),
         marker: {color: "#cbd5e1"}}
      ];
    },
    share: function (el, rows) {
      return [{type: "bar", x: rows.map(function (r) { return r.group; }),
               y: rows.map(function (r) { return r.addressed_pct; }), marker: {color: "#2563eb"},
               hovertemplate: "%{x}: %{y} %<extra></extra>"}];
    },
    trend: function (el, rows) {
      return ["critical", "high", "medium", "low"].map(function (s) {
        return {type: "scatter", mode: "lines+markers", name: s, line: {color: COLORS[s]},
                x: rows.map(function (r) { return r.label; }),
                y: rows.map(function (r) { return r[s]; })};
      });
    },
    closure: function (el, rows) {
      var x = rows.map(function (r) { return r.month; });
      return [{type: "bar", name: "opened or reopened", x: x, marker: {color: "#f59e0b"},
               y: rows.map(function (r) { return r.opened + r.reopened; })},
              {type: "bar", name: "resolved by the graph", x: x, marker: {color: "#16a34a"},
               y: rows.map(function (r) { return r.resolved; })}];
    },
    timeline: function (el, rows) {
      var asOf = el.dataset.asOf;
      return [{type: "scatter", mode: "markers", name: "collected",
               x: rows.map(function (r) { return r.collected_on; }),
               y: rows.map(function (r) { return r.id; }), marker: {color: "#2563eb"}},
              {type: "scatter", mode: "markers", name: "valid until",
               x: rows.map(function (r) { return r.valid_until; }),
               y: rows.map(function (r) { return r.id; }),
               marker: {symbol: "x", color: rows.map(function (r) {
                 return r.valid_until && r.valid_until < asOf ? "#dc2626" : "#16a34a"; })}}];
    }
  };

  function start() {
    var charts = document.querySelectorAll(".chart");
    var done = 0;
    if (!window.Plotly) { document.body.dataset.charts = "unavailable"; return; }
    charts.forEach(function (el) {
      var traces = draw[el.dataset.chart](el, data(el));
      var layout = Object.assign({}, LAYOUT);
      if (el.dataset.chart === "timeline") {
        layout.height = Math.max(160, 28 * traces[0].y.length + 60);
        layout.margin = {l: 70, r: 12, t: 8, b: 40};
      }
      window.Plotly.newPlot(el, traces, layout, CONFIG).then(function () {
        done += 1;
        if (done === charts.length) { document.body.dataset.charts = String(done); }
      });
      if (el.dataset.href && el.dataset.chart === "severity") {
        el.on("plotly_click", function (ev) {
          window.location.href = el.dataset.href + "?severity=" + ev.points[0].x;
        });
      }
    });
    if (charts.length === 0) { document.body.dataset.charts = "0"; }
  }

  // Live: poll the change log's head; a page drawn at an older head says so and offers a reload
  // (no socket, no page reload behind the reader's back).
  var POLL_MS = 15000;
  function watch() {
    var body = document.body, drawn = Number(body.dataset.head), url = body.dataset.headUrl;
    if (!url) { return; }
    function poll() {
      if (document.hidden) { return; }
      fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (now) {
        body.dataset.polled = String(Number(body.dataset.polled || 0) + 1);
        if (!now || now.seq === drawn) { return; }
        var n = now.seq - drawn;
        document.getElementById("live-count").textContent =
          n + (n === 1 ? " change" : " changes") + " in the log";
        document.getElementById("live").hidden = false;
        body.dataset.stale = String(n);
      }).catch(function () { /* offline or logged out: try again at the next tick */ });
    }
    window.setInterval(poll, POLL_MS);
    document.addEventListener("visibilitychange", poll);
  }

  function ready() { start(); watch(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
