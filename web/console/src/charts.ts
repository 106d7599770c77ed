// The overview's charts: uPlot line charts of the last hour, one x axis of
// Unix seconds, the series named by the caller. A chart is rebuilt when its
// series change (a queue appears), otherwise only its data is set; it follows
// its figure's width.
import uPlot from "uplot";

const palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

export interface SeriesData {
  label: string;
  values: (number | null)[];
}

export class LineChart {
  private plot: uPlot | undefined;
  private labels = "";
  private readonly observer: ResizeObserver;

  constructor(
    private readonly holder: HTMLElement,
    private readonly unit: string,
    private readonly height = 200,
  ) {
    this.observer = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: this.height }));
    this.observer.observe(holder);
  }

  private width(): number {
    return Math.max(200, this.holder.clientWidth - 4);
  }

  update(times: number[], series: SeriesData[]): void {
    const data = [times, ...series.map((s) => s.values)] as uPlot.AlignedData;
    const labels = series.map((s) => s.label).join("\n");
    if (this.plot && labels === this.labels) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.labels = labels;
    const unit = this.unit;
    this.plot = new uPlot(
      {
        width: this.width(),
        height: this.height,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{}, { values: (_u, ticks) => ticks.map((v) => `${v}${unit}`), size: 60 }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 2, spanGaps: false }))],
      },
      data,
      this.holder,
    );
    this.plot.root.setAttribute("aria-hidden", "true");
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }
}
