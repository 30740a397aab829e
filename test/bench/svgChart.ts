// A plain SVG horizontal bar chart (grouped bars, optional reference line), stacked in panels.

export interface Bar {
  label: string;
  value: number;
  /** Text printed after the bar; the value when absent. */
  text?: string;
  highlight?: boolean;
}

export interface BarGroup {
  label: string;
  bars: Bar[];
}

export interface ChartPanel {
  title: string;
  /** Axis caption, e.g. "× network limit (lower is better)". */
  axis: string;
  groups: BarGroup[];
  /** A dashed vertical line at this value (the network limit, 1×). */
  reference?: { value: number; label: string };
  /** Scale each group to its own largest bar (workloads whose ratios differ tenfold stay readable). */
  scalePerGroup?: boolean;
}

const width = 860;
const labelWidth = 210;
const plotWidth = 520;
const barHeight = 14;
const barGap = 4;
const groupGap = 14;
const colors = ['#3b6fd4', '#66a3ff', '#d4693b', '#8c8c8c', '#5aa469', '#a55fc2', '#c9a227'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function panelHeight(panel: ChartPanel): number {
  const bars = panel.groups.reduce((n, g) => n + g.bars.length, 0);
  return 56 + panel.groups.length * (groupGap + 18) + bars * (barHeight + barGap) + 24;
}

function renderPanel(panel: ChartPanel, top: number, colorOf: (label: string) => string): string {
  const scaleOf = (bars: readonly Bar[]): ((value: number) => number) => {
    const max = Math.max(panel.reference?.value ?? 0, ...bars.map((b) => b.value).filter(Number.isFinite)) * 1.05 || 1;
    return (value) => labelWidth + (Math.max(0, value) / max) * plotWidth;
  };
  const panelScale = scaleOf(panel.groups.flatMap((g) => g.bars));
  const out: string[] = [`<text x="16" y="${top + 24}" class="title">${escape(panel.title)}</text>`];
  let y = top + 48;
  const drawReference = (x: (value: number) => number, from: number, to: number): void => {
    if (!panel.reference) return;
    const rx = x(panel.reference.value).toFixed(1);
    out.push(
      `<line x1="${rx}" y1="${from}" x2="${rx}" y2="${to}" stroke="#222" stroke-dasharray="4 3"/>`,
      `<text x="${rx}" y="${from - 2}" class="value" text-anchor="middle">${escape(panel.reference.label)}</text>`,
    );
  };
  for (const group of panel.groups) {
    const x = panel.scalePerGroup ? scaleOf(group.bars) : panelScale;
    y += groupGap;
    out.push(`<text x="16" y="${y + 4}" class="group">${escape(group.label)}</text>`);
    y += 14;
    const groupTop = y;
    for (const bar of group.bars) {
      const end = x(bar.value);
      out.push(
        `<text x="${labelWidth - 8}" y="${y + barHeight - 3}" class="label" text-anchor="end">${escape(bar.label)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${(end - labelWidth).toFixed(1)}" height="${barHeight}" fill="${colorOf(bar.label)}"${bar.highlight ? ' stroke="#000" stroke-width="1"' : ''}/>`,
        `<text x="${(end + 6).toFixed(1)}" y="${y + barHeight - 3}" class="value">${escape(bar.text ?? bar.value.toFixed(2))}</text>`,
      );
      y += barHeight + barGap;
    }
    if (panel.scalePerGroup) drawReference(x, groupTop - 2, y);
  }
  if (!panel.scalePerGroup) drawReference(panelScale, top + 48, y + 4);
  out.push(`<text x="${labelWidth}" y="${y + 20}" class="axis">${escape(panel.axis)}</text>`);
  return out.join('\n');
}

export function renderBarChart(panels: ChartPanel[], footer: string): string {
  const labels = [...new Set(panels.flatMap((p) => p.groups.flatMap((g) => g.bars.map((b) => b.label))))];
  const colorOf = (label: string): string => colors[labels.indexOf(label) % colors.length]!;
  let top = 0;
  const body: string[] = [];
  for (const panel of panels) {
    body.push(renderPanel(panel, top, colorOf));
    top += panelHeight(panel);
  }
  const height = top + 28;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>.title{font-size:15px;font-weight:600}.group{font-size:12px;font-weight:600}.label{font-size:11px}.value{font-size:11px;fill:#333}.axis{font-size:11px;fill:#555}.foot{font-size:10px;fill:#666}</style>
<rect width="100%" height="100%" fill="#fff"/>
${body.join('\n')}
<text x="16" y="${height - 10}" class="foot">${escape(footer)}</text>
</svg>
`;
}
