import { stringify } from 'csv-stringify/sync';
import type { Table } from '../results/table.js';

/**
 * One table as plain CSV: the header row, then one row per record — nothing else, so that Python's
 * `csv`, R's `read.csv` and spreadsheet import read it with their default options. The title, units,
 * footnotes and provenance go to the export's sidecar file (`<name>.provenance.json`, export/registry.ts).
 * Numbers stay numeric at full precision (shortest round-trip form, no thousands separators); text
 * cells that a spreadsheet would run as a formula (= + - @ tab CR) are prefixed with ' (csv-stringify
 * escape_formulas, ≥ 6.9.0). Missing values are empty cells. Lines end in CRLF (RFC 4180).
 */
export function tableToCsv(table: Table): string {
  return stringify(
    [
      table.columns.map((c) => c.header),
      ...table.rows.map((r) =>
        table.columns.map((c) => {
          const v = r[c.id];
          return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : v;
        }),
      ),
    ],
    { escape_formulas: true, record_delimiter: 'windows', cast: { number: (v) => String(v) } },
  );
}
