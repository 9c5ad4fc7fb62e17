import type { Table } from './table.js';

/**
 * What one scenario changes against another, as resolved values side by side (after `extends` and
 * `--set`). Pure: the CLI loads both scenarios and passes the resolved objects.
 */
export interface DiffRow {
  path: string;
  /** The value in the parent (or first) scenario; undefined when absent. */
  before?: string;
  after?: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as one short line: distributions as "pert(min 0.5, mode 0.85, max 1)", arrays as "[a, b]". */
export function showValue(v: unknown): string {
  if (v === undefined) return '–';
  if (isPlainObject(v) && typeof v.dist === 'string') {
    const { dist, ...rest } = v;
    return `${dist}(${Object.entries(rest)
      .map(([k, x]) => `${k} ${showValue(x)}`)
      .join(', ')})`;
  }
  if (Array.isArray(v)) return `[${v.map(showValue).join(', ')}]`;
  if (isPlainObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${showValue(x)}`)
      .join(', ')}}`;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Leaves by dotted path; distributions and arrays are leaves (they are replaced, never merged). */
export function flatten(v: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (isPlainObject(v) && !('dist' in v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    if (!Object.keys(v).length && prefix) out.set(prefix, v);
  } else if (prefix) out.set(prefix, v);
  return out;
}

/** A subtree present on one side only, in a few words: an option by its kind and label, else its size. */
function summarizeSubtree(v: unknown): string {
  if (isPlainObject(v) && !('dist' in v)) {
    if (typeof v.kind === 'string') return `${v.kind} option${typeof v.label === 'string' ? ` "${v.label}"` : ''}`;
    return `${flatten(v).size} settings`;
  }
  return showValue(v);
}

/**
 * Every path whose resolved value differs, in the order of the second scenario, then removed ones.
 * A subtree on one side only (an option added or removed) is one row.
 */
export function diffScenarios(before: unknown, after: unknown, ignore: string[] = []): DiffRow[] {
  const rows: DiffRow[] = [];
  const skip = (p: string) => ignore.some((i) => p === i || p.startsWith(`${i}.`));
  const walk = (a: unknown, b: unknown, prefix: string) => {
    if (prefix && skip(prefix)) return;
    const objA = isPlainObject(a) && !('dist' in a),
      objB = isPlainObject(b) && !('dist' in b);
    if (objA && objB) {
      const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
      for (const k of keys) walk(a[k], b[k], prefix ? `${prefix}.${k}` : k);
      return;
    }
    if (a === undefined && b === undefined) return;
    const sa = a === undefined ? undefined : objA ? summarizeSubtree(a) : showValue(a);
    const sb = b === undefined ? undefined : objB ? summarizeSubtree(b) : showValue(b);
    if (sa !== sb) rows.push({ path: prefix, before: sa, after: sb });
  };
  walk(before, after, '');
  return rows;
}

export function diffTable(rows: DiffRow[], names: { before: string; after: string }): Table {
  return {
    id: 'diff',
    title: `What ${names.after} changes against ${names.before} (resolved values)`,
    columns: [
      { id: 'path', header: 'Setting', kind: 'text' },
      { id: 'before', header: names.before, kind: 'text' },
      { id: 'after', header: names.after, kind: 'text' },
    ],
    rows: rows.map((r) => ({ path: r.path, before: r.before ?? '(not set)', after: r.after ?? '(removed)' })),
    footnotes: ['Values after `extends` and `--set` are applied; a distribution is shown with its parameters.'],
  };
}
