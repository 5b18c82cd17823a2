// The learner's credit hours over time, drawn with the vendored ECharts (static/vendor/, see
// .ci/vendor). The page passes its data in a <script type="application/json"> block: the
// content security policy runs no inline script.
(function () {
  const holder = document.getElementById("credit-chart");
  const source = document.getElementById("credit-chart-data");
  if (!holder || !source || typeof window.echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data.days.length) return;
  const DAY = 24 * 3600 * 1000;
  // Nothing was earned before the first day: each line starts from zero the day before, so
  // hours earned on a single day read as a step up, not as a lone dot.
  const start = new Date(Date.parse(data.days[0]) - DAY).toISOString().slice(0, 10);
  const chart = window.echarts.init(holder);
  chart.setOption({
    // richText: the tooltip is drawn on the canvas, so it needs no inline style attributes
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 36, bottom: 32 },
    // a time axis: the gaps between days earned are as long as they really were
    // hours count per day: no ticks within a day, and a day's margin on the right
    // whole dates on the axis: ECharts' default writes a month's days as bare numbers
    xAxis: {
      type: "time",
      minInterval: DAY,
      max: (extent) => extent.max + DAY,
      axisLabel: { formatter: "{yyyy}-{MM}-{dd}", hideOverlap: true },
    },
    yAxis: { type: "value", name: holder.dataset.unit || "" },
    series: data.series.map((s) => ({
      name: s.name,
      type: "line",
      step: "end",
      data: [[start, 0], ...s.data.map((hours, i) => [data.days[i], hours])],
    })),
  });
  window.addEventListener("resize", () => chart.resize());
})();
