/*
 * Backstop's report charts: draws every chart whose JSON spec the page carries, with uPlot
 * (inlined before this script). Hover shows each series' value in the legend; a click on a legend
 * entry hides or shows its series; dragging across a line chart zooms its x axis, a double click
 * zooms back out. Bars are grouped by category, one bar per series, in the series' colour.
 */
(function () {
  "use strict";

  function dollars(v) {
    var size = Math.abs(v);
    var sign = v < 0 ? "\u2212" : "";
    if (size >= 1e9) return sign + "$" + trim(size / 1e9) + "B";
    if (size >= 1e6) return sign + "$" + trim(size / 1e6) + "M";
    if (size >= 1e3) return sign + "$" + trim(size / 1e3) + "k";
    return sign + "$" + trim(size);
  }

  function trim(v) {
    return v.toLocaleString("en-US", { maximumFractionDigits: 2 });
  }

  var FORMATS = {
    usd: dollars,
    share: function (v) {
      return (100 * v).toLocaleString("en-US", { maximumFractionDigits: 2 }) + "%";
    },
    percent: function (v) {
      return v.toLocaleString("en-US", { maximumFractionDigits: 2 }) + "%";
    },
    count: function (v) {
      return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
    },
    plain: trim,
    minutes: function (v) {
      return v.toLocaleString("en-US", { maximumFractionDigits: 2 }) + " min";
    },
  };

  function format(kind, v) {
    if (v == null || isNaN(v)) return "\u2013";
    return (FORMATS[kind] || trim)(v);
  }

  /** An axis tick: as the values read, but counts keep the decimals a narrow range needs. */
  function tick(kind, v) {
    return format(kind === "count" ? "plain" : kind, v);
  }

  /** Bars of series `s` (the k-th of n bar series), side by side within each category. */
  function groupedBars(k, n) {
    return function (u, seriesIdx, idx0, idx1) {
      var xs = u.data[0];
      var ys = u.data[seriesIdx];
      var path = new Path2D();
      var step = Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true));
      var group = step * 0.82;
      var width = group / n;
      var zero = u.valToPos(Math.max(0, u.scales.y.min), "y", true);
      for (var i = idx0; i <= idx1; i++) {
        var v = ys[i];
        if (v == null || v === 0) continue;
        var left = u.valToPos(xs[i], "x", true) - group / 2 + k * width;
        var top = u.valToPos(v, "y", true);
        path.rect(left, Math.min(top, zero), Math.max(1, width * 0.88), Math.abs(zero - top));
      }
      return { stroke: path, fill: path };
    };
  }

  function options(spec, width) {
    var categories = spec.categories;
    var bars = spec.series.filter(function (s) {
      return s.kind === "bars";
    }).length;
    var barIndex = 0;
    var series = [
      {
        label: spec.xLabel,
        value: function (u, v) {
          if (v == null) return "\u2013";
          return categories ? categories[Math.round(v)] : format(spec.xFormat, v);
        },
      },
    ];
    spec.series.forEach(function (s) {
      var one = {
        label: s.label,
        stroke: s.color,
        width: s.width || 2,
        dash: s.dash || undefined,
        spanGaps: s.kind === "line" || s.kind === "line_points",
        value: function (u, v) {
          return format(spec.yFormat, v);
        },
      };
      if (s.kind === "step") {
        one.paths = uPlot.paths.stepped({ align: 1 });
      } else if (s.kind === "points") {
        one.paths = function () {
          return null;
        };
        one.points = { show: true, size: s.size || 6, fill: s.color, stroke: s.color };
      } else if (s.kind === "bars") {
        one.paths = groupedBars(barIndex++, bars);
        one.fill = s.color;
        one.points = { show: false };
      } else if (s.kind === "line_points") {
        one.points = { show: true, size: 7, fill: s.color, stroke: s.color };
      } else {
        one.points = { show: false };
      }
      series.push(one);
    });
    var xScale = { time: false };
    if (categories) {
      xScale.range = function () {
        return [-0.5, categories.length - 0.5];
      };
    }
    var yScale = {};
    if (spec.yMin != null || spec.yMax != null) {
      yScale.range = function (u, min, max) {
        var lo = spec.yMin != null ? spec.yMin : min;
        var hi = spec.yMax != null ? spec.yMax : max;
        if (hi <= lo) hi = lo + 1;
        return [lo, hi];
      };
    }
    var xAxis = {
      label: spec.xLabel,
      labelSize: 30,
      space: 90,
      stroke: "#333",
      grid: { stroke: "#eee" },
    };
    if (categories) {
      xAxis.splits = function () {
        return categories.map(function (c, i) {
          return i;
        });
      };
      xAxis.values = function (u, splits) {
        return splits.map(function (i) {
          return categories[i];
        });
      };
      xAxis.grid = { show: false };
    } else {
      xAxis.values = function (u, splits) {
        return splits.map(function (v) {
          return tick(spec.xFormat === "minutes" ? "plain" : spec.xFormat, v);
        });
      };
    }
    return {
      title: spec.title,
      width: width,
      height: spec.height,
      series: series,
      scales: { x: xScale, y: yScale },
      axes: [
        xAxis,
        {
          label: spec.yLabel,
          labelSize: 30,
          size: 78,
          stroke: "#333",
          grid: { stroke: "#eee" },
          values: function (u, splits) {
            return splits.map(function (v) {
              return tick(spec.yFormat, v);
            });
          },
        },
      ],
      cursor: categories ? { drag: { x: false, y: false } } : { drag: { x: true, y: false } },
      legend: {
        live: true,
        markers: {
          fill: function (u, i) {
            return i === 0 ? "transparent" : spec.series[i - 1].color;
          },
        },
      },
    };
  }

  function data(spec) {
    var out = [spec.x];
    spec.series.forEach(function (s) {
      out.push(s.values);
    });
    return out;
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (host) {
    var spec = JSON.parse(document.getElementById(host.getAttribute("data-chart")).textContent);
    var width = Math.max(320, host.clientWidth);
    // the static drawing the page carries for readers without scripts gives way to the chart
    host.textContent = "";
    charts.push({ host: host, plot: new uPlot(options(spec, width), data(spec), host) });
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) {
      c.plot.setSize({ width: Math.max(320, c.host.clientWidth), height: c.plot.height });
    });
  });
  document.documentElement.setAttribute("data-charts-drawn", String(charts.length));
})();
