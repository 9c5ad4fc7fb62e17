import { stringify } from 'csv-stringify/sync';
import { ROUNDING_RULE, type Table } from '../results/table.js';
import { type ExportProvenance, provenanceRows } from './provenance.js';

/**
 * One table as CSV: `#` comment lines for the title, units, rounding, footnotes and provenance, then
 * the header and the rows. Numbers stay numeric at full precision; text cells that a spreadsheet would
 * run as a formula (= + - @ tab CR) are prefixed with ' (csv-stringify escape_formulas, ≥ 6.9.0).
 */
export function tableToCsv(table: Table, prov: ExportProvenance): string {
  const comments = [
    table.title,
    'Units: CHF unless the column says otherwise; shares as fractions (0.25 = 25 %).',
    `Rounding: ${ROUNDING_RULE}`,
    ...table.footnotes.map((f, i) => `[${i + 1}] ${f}`),
    ...provenanceRows(prov).map(([k, v]) => `${k}: ${v}`),
  ]
    .map((c) => `# ${c.replace(/[\r\n]+/g, ' ')}\n`)
    .join('');
  const body = stringify([table.columns.map((c) => c.header), ...table.rows.map((r) => table.columns.map((c) => r[c.id] ?? ''))], {
    escape_formulas: true,
    cast: { number: (v) => String(v) },
  });
  return comments + body;
}
