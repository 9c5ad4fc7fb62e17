import { escapeControl } from '../domain/text.js';
/**
 * One table model behind every output: the terminal, CSV, Markdown, XLSX and JSON (ENGINEERING.md,
 * "Exports"). Numbers stay full-precision numbers here; each renderer rounds for display only.
 */
export type ColumnKind = 'text' | 'chf' | 'int' | 'number' | 'percent';
export interface Column {
  id: string;
  header: string;
  kind: ColumnKind;
  /** Text columns: wrap at this many characters in the terminal (other formats keep one cell). */
  wrap?: number;
  /** Unit for machine readers (the CSV sidecar): 'CHF', 'count', 'share', …; default from the kind (columnUnit). */
  unit?: string;
  /** What an empty cell means, shown instead of – in display formats (e.g. "n/a — fewer than 10 …"). */
  nullText?: string;
}
export type Cell = string | number | null;
export interface Table {
  id: string;
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** Assumptions, provenance (synthetic or user roster) and anything a reader must know. */
  footnotes: string[];
}

/** Display rounding, stated once and repeated under every exported table. */
/** The unit of a column for machine readers: its own, else implied by its kind. */
export function columnUnit(c: Column): string {
  return c.unit ?? { chf: 'CHF', int: 'count', number: 'count (expected value)', percent: 'share (0.25 = 25 %)', text: 'text' }[c.kind];
}

export const ROUNDING_RULE =
  'CHF amounts are rounded to the nearest franc for display (half away from zero); counts to one decimal when fractional (expected values); shares to one decimal of a percent. Machine formats (CSV, XLSX, JSON) keep full precision.';

// Created on first use: building an Intl.NumberFormat loads locale data (tens of ms of start-up), which
// commands that print no table (--json, validate) need not pay.
let fmts: { chf: Intl.NumberFormat; num: Intl.NumberFormat; pct: Intl.NumberFormat } | undefined;
const formats = () =>
  (fmts ??= {
    chf: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }),
    num: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
    pct: new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  });

/** Rounds half away from zero, as finance staff expect (Math.round rounds -0.5 up to -0). */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

export function formatCell(value: Cell, kind: ColumnKind, nullText?: string): string {
  if (value === null) return nullText ?? '–';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return 'n/a';
  switch (kind) {
    case 'chf':
      return formats().chf.format(roundHalfAway(value) + 0);
    case 'int':
      return formats().chf.format(Math.round(value));
    case 'number':
      return formats().num.format(value);
    case 'percent':
      return formats().pct.format(value);
    default:
      return String(value);
  }
}

/** Spaces inside an amount with its unit, which never breaks: "CHF 3,975", "USD 50 M", "70 %", "1/16 of the unit". */
const GLUED = [/(CHF|USD) (?=-?\d)/g, /(\d) (?=%)/g, /(\d) (?=M\b)/g, /(\S) (?=of the unit)/g, /(of|the) (?=(the )?unit)/g];

/** Words of `text` in lines of at most `width` characters (a longer word stands alone). */
export function wrapText(text: string, width: number): string[] {
  const glued = GLUED.reduce((t, re) => t.replace(re, '$1\u0001'), text);
  const lines: string[] = [];
  let cur = '';
  for (const w of glued.split(' ').map((x) => x.replaceAll('\u0001', ' '))) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  lines.push(cur);
  return lines;
}

/**
 * A plain-text table for terminals and logs: no colour, no box drawing, right-aligned numbers. Text
 * columns with `wrap` continue on the following lines.
 */
export function renderText(table: Table, opts: { footnotes?: boolean } = {}): string {
  const head = table.columns.map((c) => c.header);
  const body = table.rows.flatMap((r) => {
    const cells = table.columns.map((c) => {
      const text = formatCell(r[c.id] ?? null, c.kind, c.nullText);
      return c.wrap && c.kind === 'text' ? wrapText(text, c.wrap) : [text];
    });
    const n = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: n }, (_, k) => cells.map((c) => c[k] ?? ''));
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (table.columns[i]!.kind === 'text' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [table.title, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (opts.footnotes !== false && table.footnotes.length) out.push(...table.footnotes.map((f, i) => `[${i + 1}] ${f}`));
  return escapeControl(`${out.join('\n')}\n`); // labels and names from inputs never reach the terminal raw
}
