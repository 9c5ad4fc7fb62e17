import { type ColumnKind, ROUNDING_RULE, type Table } from '../results/table.js';
import { type ExportProvenance, provenanceRows } from './provenance.js';

/**
 * The one file that knows exceljs (ENGINEERING.md: a swap of XLSX library is a one-file change). exceljs
 * is imported when a workbook is written, not when this module loads: it costs ~0.3 s of start-up.
 */
const NUM_FMT: Record<ColumnKind, string | undefined> = { chf: '#,##0', int: '#,##0', number: '#,##0.0', percent: '0.0%', text: undefined };
const FIXED_DATE = new Date(Date.UTC(2018, 9, 29)); // PP-18 opened 29 Oct 2018; fixed so files do not embed the clock

/** Excel sheet names: ≤ 31 characters, none of : \ / ? * [ ], unique. */
function sheetName(id: string, used: Set<string>): string {
  let base = id.replace(/[:\\/?*[\]]/g, '-').slice(0, 31) || 'table';
  for (let k = 2; used.has(base); k++) base = `${id.slice(0, 28)}-${k}`;
  used.add(base);
  return base;
}

/**
 * One sheet per table: title in row 1, header in row 2 (frozen), numbers stored as numbers with a
 * number format, footnotes under the table; then a Provenance sheet.
 */
export async function tablesToXlsx(tables: Table[], prov: ExportProvenance): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = `${prov.tool.name} ${prov.tool.version}`;
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const used = new Set<string>();
  for (const t of tables) {
    const ws = wb.addWorksheet(sheetName(t.id, used), { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([t.title]).font = { bold: true };
    const header = ws.addRow(t.columns.map((c) => c.header));
    header.font = { bold: true };
    for (const r of t.rows)
      ws.addRow(
        t.columns.map((c) => {
          const v = r[c.id];
          return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
        }),
      );
    t.columns.forEach((c, k) => {
      const col = ws.getColumn(k + 1);
      col.width = Math.min(50, Math.max(10, c.header.length + 2));
      const fmt = NUM_FMT[c.kind];
      if (fmt) for (let row = 3; row < 3 + t.rows.length; row++) ws.getCell(row, k + 1).numFmt = fmt;
    });
    ws.addRow([]);
    ws.addRow(['Amounts in CHF.']);
    t.footnotes.forEach((f, i) => ws.addRow([`[${i + 1}] ${f}`]));
    ws.addRow([`Rounding: ${ROUNDING_RULE}`]);
  }
  const p = wb.addWorksheet('Provenance');
  p.addRow(['Item', 'Value']).font = { bold: true };
  for (const [k, v] of provenanceRows(prov)) p.addRow([k, v]);
  p.getColumn(1).width = 22;
  p.getColumn(2).width = 100;
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
