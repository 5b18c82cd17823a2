// The learner's credit hours over time, drawn with the vendored ECharts (static/vendor/, see
// .ci/vendor). The page passes its data in a <script type="application/json"> block: the
// content security policy runs no inline script.
(function () {
  const holder = document.getElementById("credit-chart");
  const source = document.getElementById("credit-chart-data");
  if (!holder || !source || typeof window.echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data.days.length) return;
  const chart = window.echarts.init(holder);
  chart.setOption({
    // richText: the tooltip is drawn on the canvas, so it needs no inline style attributes
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 36, bottom: 32 },
    // a time axis: the gaps between days earned are as long as they really were
    xAxis: { type: "time" },
    yAxis: { type: "value", name: holder.dataset.unit || "" },
    series: data.series.map((s) => ({
      name: s.name,
      type: "line",
      step: "end",
      data: s.data.map((hours, i) => [data.days[i], hours]),
    })),
  });
  window.addEventListener("resize", () => chart.resize());
})();
