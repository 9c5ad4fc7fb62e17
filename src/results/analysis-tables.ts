import type { SweepResult } from '../engine/sweep.js';
import type { TornadoBar } from '../engine/tornado.js';
import { provenanceNote, SOURCES_NOTE, type TableContext } from './run-tables.js';
import { formatCell, type Table } from './table.js';

export function sweepTable(r: SweepResult, ctx: TableContext): Table {
  const mc = r.rows.some((x) => x.interval);
  return {
    id: 'sweep',
    title: `Sweep of ${r.name} (CHF, horizon totals)`,
    columns: [
      { id: 'value', header: r.name, kind: 'text' },
      { id: 'label', header: 'Option', kind: 'text' },
      { id: 'summary', header: 'Settings run', kind: 'text', wrap: 56 },
      ...(r.rows.some((x) => x.eligibleIncumbents !== undefined)
        ? [{ id: 'eligibleIncumbents', header: 'Eligible incumbents', kind: 'int' as const }]
        : []),
      { id: 'net', header: mc ? 'Net (mean)' : 'Net impact', kind: 'chf' },
      // with draws every figure of a row is a Monte Carlo mean (run's own tables show the deterministic run)
      { id: 'discountedNet', header: mc ? 'Discounted net (mean)' : 'Discounted net', kind: 'chf' },
      ...(mc
        ? [
            { id: 'p5', header: 'Net P5', kind: 'chf' as const },
            { id: 'p95', header: 'Net P95', kind: 'chf' as const },
            { id: 'pLoss', header: 'P(loss)', kind: 'percent' as const },
          ]
        : []),
      { id: 'participants', header: mc ? 'SME participants (last year, mean)' : 'SME participants (last year)', kind: 'number' },
      { id: 'path', header: 'path', kind: 'text' },
    ],
    rows: r.rows.map((x) => ({
      value: x.valueText,
      label: x.label,
      summary: x.summary,
      path: r.path,
      eligibleIncumbents: x.eligibleIncumbents ?? null,
      net: x.net,
      discountedNet: x.discountedNet,
      participants: x.participants,
      ...(x.interval ? { p5: x.interval.p5, p95: x.interval.p95, pLoss: x.interval.probLoss } : {}),
    })),
    footnotes: [
      provenanceNote(ctx),
      `Method: ${r.method}.`,
      ...(ctx.draws ? [`Monte Carlo: ${ctx.draws} draws, seed ${ctx.seed}, the same at every step.`] : []),
    ],
  };
}

export function tornadoTable(base: number, bars: TornadoBar[], label: string, ctx: TableContext, summary?: string): Table {
  return {
    id: 'tornado',
    title: `What drives the net impact of ${label} (P10/P90 of each assumption, others at median)`,
    columns: [
      { id: 'name', header: 'Assumption', kind: 'text' },
      { id: 'low', header: 'P10 value', kind: 'text' },
      { id: 'high', header: 'P90 value', kind: 'text' },
      { id: 'netAtLow', header: 'Net at P10', kind: 'chf' },
      { id: 'netAtHigh', header: 'Net at P90', kind: 'chf' },
      { id: 'swing', header: 'Swing', kind: 'chf' },
      { id: 'path', header: 'path', kind: 'text' },
    ],
    rows: bars.map((b) => ({
      name: b.name,
      low: b.lowText,
      high: b.highText,
      netAtLow: b.netAtLow,
      netAtHigh: b.netAtHigh,
      swing: b.swing,
      path: b.param,
    })),
    footnotes: [
      provenanceNote(ctx),
      ...(summary ? [`${label}: ${summary}.`] : []),
      `Net impact with every assumption at its median: CHF ${formatCell(base, 'chf')}.`,
      SOURCES_NOTE,
    ],
  };
}

/** Horizontal bars for the terminal, centred on the median net impact. */
export function renderTornadoBars(base: number, bars: TornadoBar[], width = 60): string {
  const maxDev = Math.max(1, ...bars.flatMap((b) => [Math.abs(b.netAtLow - base), Math.abs(b.netAtHigh - base)]));
  const half = Math.floor(width / 2);
  const labelW = Math.min(48, Math.max(...bars.map((b) => b.name.length), 10));
  return `${bars
    .map((b) => {
      const lo = Math.min(b.netAtLow, b.netAtHigh) - base,
        hi = Math.max(b.netAtLow, b.netAtHigh) - base;
      const l = Math.round((Math.min(0, lo) / maxDev) * half),
        r = Math.round((Math.max(0, hi) / maxDev) * half);
      const cells = Array.from({ length: width + 1 }, (_, k) => {
        const x = k - half;
        return x === 0 ? '|' : x >= l && x < 0 ? '<' : x > 0 && x <= r ? '>' : ' ';
      }).join('');
      return `${b.name.slice(0, labelW).padEnd(labelW)} ${cells} ${formatCell(b.swing, 'chf')}`;
    })
    .join('\n')}\n${''.padEnd(labelW)} ${'<'.padStart(half, ' ')}lower net | higher net>\n`;
}

/** A two-parameter grid of net impact as a heat map that reads without colour. */
export function renderHeatMap(
  rowsLabel: string,
  colsLabel: string,
  rowValues: number[],
  colValues: number[],
  cell: (r: number, c: number) => number,
): string {
  const all = rowValues.flatMap((_, r) => colValues.map((__, c) => cell(r, c)));
  const maxAbs = Math.max(1, ...all.map(Math.abs));
  // Losses: ░▒▓█ by size; gains: + ; near zero (< 2 % of the largest): ·
  const glyph = (v: number) => {
    const s = Math.abs(v) / maxAbs;
    if (s < 0.02) return '·';
    if (v > 0) return s > 0.5 ? '#' : '+';
    return s > 0.75 ? '█' : s > 0.5 ? '▓' : s > 0.25 ? '▒' : '░';
  };
  const w = Math.max(...colValues.map((v) => String(v).length), 2);
  const lines = [`${rowsLabel} \\ ${colsLabel}`, `${''.padStart(10)} ${colValues.map((v) => String(v).padStart(w)).join(' ')}`];
  rowValues.forEach((rv, r) => lines.push(`${String(rv).padStart(10)} ${colValues.map((_, c) => glyph(cell(r, c)).repeat(w)).join(' ')}`));
  lines.push(`Legend: █ ▓ ▒ ░ losses (largest to smallest, scale CHF ${formatCell(maxAbs, 'chf')}), · about zero, + # gains.`);
  return `${lines.join('\n')}\n`;
}
