import { type Column, formatCell, type Table } from './table.js';

/**
 * Choosing columns. The "document" set is short enough to paste into a Council document: rank,
 * (scenario,) option, net impact, P5–P95, P(net loss), participants. It is the default of Markdown,
 * DOCX and the brief; CSV, XLSX and JSON keep every column unless --columns says otherwise.
 */
export const DOCUMENT_COLUMNS = ['rank', 'scenario', 'option', 'net', 'p5p95', 'pLoss', 'smeParticipants'] as const;

/** A derived text column "P5–P95" ("−16,530 to 279,611") from the p5 and p95 columns. */
const P5P95: Column = { id: 'p5p95', header: 'Net P5–P95', kind: 'text' };

export type ColumnChoice = 'document' | 'all' | string[];

/** Parses --columns: "document", "all" or a comma-separated list of column ids. */
export function parseColumns(text: string | undefined, fallback: ColumnChoice): ColumnChoice {
  if (text === undefined) return fallback;
  const t = text.trim();
  if (t === 'document' || t === 'all') return t;
  return t
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Column ids a table offers (its own and the derived p5p95). */
export function availableColumns(t: Table): string[] {
  const ids = t.columns.map((c) => c.id);
  return ids.includes('p5') && ids.includes('p95') ? [...ids, P5P95.id] : ids;
}

/**
 * The table with the chosen columns, in the order given. The document set keeps the columns the
 * table has (no P5–P95 without draws). Unknown ids throw, naming the ones available.
 */
export function selectColumns(t: Table, choice: ColumnChoice): Table {
  if (choice === 'all') return t;
  const have = availableColumns(t);
  const ids = choice === 'document' ? DOCUMENT_COLUMNS.filter((c) => have.includes(c)) : choice;
  const unknown = ids.filter((c) => !have.includes(c));
  if (unknown.length)
    throw new Error(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} in table "${t.id}"; columns are ${have.join(', ')}`,
    );
  const columns = ids.map((id) => (id === P5P95.id ? P5P95 : t.columns.find((c) => c.id === id)!));
  const rows = ids.includes(P5P95.id)
    ? t.rows.map((r) => ({
        ...r,
        p5p95: typeof r.p5 === 'number' && typeof r.p95 === 'number' ? `${formatCell(r.p5, 'chf')} to ${formatCell(r.p95, 'chf')}` : null,
      }))
    : t.rows;
  return { ...t, columns, rows };
}
