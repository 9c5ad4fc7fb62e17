import { type ColumnKind, ROUNDING_RULE, type Table } from '../results/table.js';
import { workbookContentSha256 } from './content-digest.js';
import { type Provenance, provenanceRows } from './provenance.js';

/**
 * The one file that knows exceljs (ENGINEERING.md: a swap of XLSX library is a one-file change). exceljs
 * is imported when a workbook is written or read, not when this module loads: it costs ~0.3 s of start-up.
 */
const NUM_FMT: Record<ColumnKind, string | undefined> = { chf: '#,##0', int: '#,##0', number: '#,##0.0', percent: '0.0%', text: undefined };
const FIXED_DATE = new Date(Date.UTC(2018, 9, 29)); // PP-18 opened 29 Oct 2018; fixed so files do not embed the clock
/** The label of the Provenance sheet row that holds the whole record as JSON (read back by `feesim verify`). */
export const XLSX_PROVENANCE_JSON = 'record (JSON)';

/** Excel sheet names: ≤ 31 characters, none of : \ / ? * [ ], unique. */
function sheetName(id: string, used: Set<string>): string {
  let base = id.replace(/[:\\/?*[\]]/g, '-').slice(0, 31) || 'table';
  for (let k = 2; used.has(base); k++) base = `${id.slice(0, 28)}-${k}`;
  used.add(base);
  return base;
}

/**
 * One sheet per table: title in row 1, header in row 2 (frozen), numbers stored as numbers with a
 * number format, footnotes under the table; then a Provenance sheet. The bytes depend only on the
 * tables and the record: no clock, locale or time zone (see fixZipTimes).
 */
export async function tablesToXlsx(
  tables: Table[],
  prov: Provenance,
  charts: { title: string; description: string; png: Uint8Array; width: number; height: number }[] = [],
): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = `${prov.tool.name} ${prov.tool.version}`;
  wb.lastModifiedBy = wb.creator;
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
          if (v === null || v === undefined) return c.nullText ?? null;
          return typeof v === 'number' && !Number.isFinite(v) ? null : v;
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
  if (charts.length) {
    // the charts on their own sheet, one under the other, each with its title and description
    const cs = wb.addWorksheet('Charts');
    cs.getColumn(1).width = 120;
    let row = 1;
    for (const c of charts) {
      cs.getCell(row, 1).value = c.title;
      cs.getCell(row, 1).font = { bold: true };
      cs.getCell(row + 1, 1).value = c.description;
      const width = 720;
      const height = Math.round((c.height * width) / c.width);
      const id = wb.addImage({ buffer: Buffer.from(c.png) as never, extension: 'png' });
      cs.addImage(id, { tl: { col: 0, row: row + 1 }, ext: { width, height } });
      row += 3 + Math.ceil(height / 20);
    }
  }
  // an explorer export records its content's digest: no command regenerates its layout (feesim verify)
  const record = prov.view ? { ...prov, contentSha256: workbookContentSha256(wb) } : prov;
  const p = wb.addWorksheet('Provenance');
  p.addRow(['Item', 'Value']).font = { bold: true };
  for (const [k, v] of provenanceRows(record)) p.addRow([k, v]);
  p.addRow([XLSX_PROVENANCE_JSON, JSON.stringify(record)]);
  p.getColumn(1).width = 28;
  p.getColumn(2).width = 100;
  const buf = await wb.xlsx.writeBuffer();
  return fixZipTimes(new Uint8Array(buf as ArrayBuffer));
}

/** sha256 of the cell values of an XLSX export's sheets but Provenance (what `contentSha256` records). */
export async function xlsxContentSha256(bytes: Uint8Array): Promise<string> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbookContentSha256(wb);
}

/** The record stored in an XLSX export's Provenance sheet, or undefined. */
export async function readXlsxProvenance(bytes: Uint8Array): Promise<Provenance | undefined> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Provenance');
  let text: string | undefined;
  ws?.eachRow((row) => {
    if (row.getCell(1).value === XLSX_PROVENANCE_JSON) text = String(row.getCell(2).value);
  });
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Provenance;
  } catch {
    return undefined;
  }
}

/** 29 Oct 2018 00:00 as an MS-DOS date and time (the zip format's only timestamps here). */
const DOS_DATE = ((2018 - 1980) << 9) | (10 << 5) | 29;
const DOS_TIME = 0;

/**
 * Sets every zip entry's modification time to a constant. exceljs (through JSZip) stamps each entry
 * with the wall-clock time, in the local time zone, so two exports a second apart differ. The
 * timestamps live in each local file header (offsets 10-13) and central directory entry (12-15);
 * neither is covered by a CRC. Entries with extra fields keep them (exceljs writes none).
 */
export function fixZipTimes(zip: Uint8Array): Uint8Array {
  const b = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  // End of central directory: signature 0x06054b50, searched from the end (comment ≤ 65535 bytes)
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--)
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error('XLSX writer produced no zip end record');
  const entries = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  for (let e = 0; e < entries; e++) {
    if (b.readUInt32LE(at) !== 0x02014b50) throw new Error('XLSX writer produced a malformed zip directory');
    b.writeUInt16LE(DOS_TIME, at + 12);
    b.writeUInt16LE(DOS_DATE, at + 14);
    const local = b.readUInt32LE(at + 42);
    if (b.readUInt32LE(local) !== 0x04034b50) throw new Error('XLSX writer produced a malformed zip entry');
    b.writeUInt16LE(DOS_TIME, local + 10);
    b.writeUInt16LE(DOS_DATE, local + 12);
    at += 46 + b.readUInt16LE(at + 28) + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  return zip;
}
