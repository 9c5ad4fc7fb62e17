import { formatCell } from '../results/table.js';

/**
 * Net impact against the threshold as a text chart: one column per threshold bucket, `*` the curve,
 * `|` the current threshold, `B` the break-even threshold on the zero line, `-` the zero line.
 * Readable without colour.
 */
export function thresholdChart(net: Float64Array, current: number, breakEven: number | null, width: number, height: number): string[] {
  const all = Array.from(net);
  const hi = Math.max(0, ...all),
    lo = Math.min(0, ...all);
  const labelW = Math.max(formatCell(hi, 'chf').length, formatCell(lo, 'chf').length) + 1;
  const cols = Math.max(10, width - labelW - 1);
  const maxT = net.length - 1;
  const tAt = (c: number) => Math.round((c / (cols - 1)) * maxT);
  const values = Array.from({ length: cols }, (_, c) => net[tAt(c)]!);
  const span = hi - lo || 1;
  // the zero line gets a row of its own between the top (hi) and the bottom (lo) when the curve has
  // both signs: gains are scaled above it, losses below it, so that no label is drawn on the wrong row
  const split = hi > 0 && lo < 0 && height >= 3;
  const z = split ? Math.min(height - 2, Math.max(1, Math.round((hi / span) * (height - 1)))) : 0;
  const rowOf = (v: number) =>
    !split
      ? Math.round(((hi - v) / span) * (height - 1))
      : v >= 0
        ? Math.round(((hi - v) / hi) * z)
        : z + Math.round((-v / -lo) * (height - 1 - z));
  const grid = Array.from({ length: height }, () => Array.from({ length: cols }, () => ' '));
  const zero = rowOf(0);
  for (let c = 0; c < cols; c++) grid[zero]![c] = '-';
  values.forEach((v, c) => {
    grid[rowOf(v)]![c] = '*';
  });
  const colOf = (t: number) => Math.round((Math.min(t, maxT) / maxT) * (cols - 1));
  const cc = colOf(current);
  for (let r = 0; r < height; r++) if (grid[r]![cc] !== '*') grid[r]![cc] = '|';
  if (breakEven !== null) grid[zero]![colOf(breakEven)] = 'B';
  const label = (r: number) =>
    `${(r === zero ? '0' : r === 0 ? formatCell(hi, 'chf') : r === height - 1 ? formatCell(lo, 'chf') : '').padStart(labelW - 1)} `;
  const lines = grid.map((row, r) => label(r) + row.join(''));
  const axis = Array.from({ length: cols }, () => ' ');
  for (const t of [0, maxT / 4, maxT / 2, (3 * maxT) / 4, maxT]) {
    const s = String(Math.round(t));
    const c = Math.min(cols - s.length, Math.max(0, colOf(t) - Math.floor(s.length / 2)));
    for (let k = 0; k < s.length; k++) axis[c + k] = s[k]!;
  }
  lines.push(' '.repeat(labelW) + axis.join(''));
  return lines;
}
