// Spend per day stacked by model, drawn as plain SVG: no chart library, colours from the theme's
// --vscode-charts-* variables (usage.css), and every bar segment carries its figures as data attributes
// and a <title>, so a screen reader (and a test) reads the values that were drawn.
import type { DailyChart } from '../../usage/usageMath';
import { formatUsd } from '../../util/usd';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 240;
const LEFT = 60;
const BOTTOM = 24;
const TOP = 10;
export const SERIES_CLASSES = 8;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round axis maximum at or above `max` (1, 2, 2.5 or 5 times a power of ten). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 0.01;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export function drawChart(chart: DailyChart): SVGSVGElement {
  const peak = Math.max(0, ...chart.dayTotals);
  const axisMax = niceMax(peak);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / Math.max(1, chart.days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const total = chart.dayTotals.reduce((t, v) => t + v, 0);
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart', 'data-axis-max': axisMax, 'data-plot-height': plotHeight });
  svg.append(el('title', {}, `Spend per day over the last ${chart.days.length} days (UTC), stacked by model: ${formatUsd(total)} in all.`));
  for (const fraction of [0, 0.5, 1]) {
    const y = TOP + plotHeight * (1 - fraction);
    svg.append(el('line', { x1: LEFT, x2: WIDTH, y1: y, y2: y, class: 'grid' }));
    svg.append(el('text', { x: LEFT - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, formatUsd(axisMax * fraction)));
  }
  chart.days.forEach((day, d) => {
    const x = LEFT + d * slot + (slot - barWidth) / 2;
    let base = TOP + plotHeight;
    chart.models.forEach((model, m) => {
      const cost = chart.costs[m]![d]!;
      if (cost <= 0) return;
      const height = (cost / axisMax) * plotHeight;
      base -= height;
      const rect = el('rect', { x, y: base, width: barWidth, height, class: `bar series-${m % SERIES_CLASSES}`, 'data-day': day, 'data-model': model, 'data-cost': cost });
      rect.append(el('title', {}, `${day} · ${model} · ${formatUsd(cost)}`));
      svg.append(rect);
    });
    if (d % 5 === chart.days.length % 5 || d === chart.days.length - 1) {
      const last = d === chart.days.length - 1;
      svg.append(el('text', { x: last ? WIDTH : x + barWidth / 2, y: HEIGHT - 6, class: 'axis', 'text-anchor': last ? 'end' : 'middle' }, day.slice(5)));
    }
  });
  return svg;
}
