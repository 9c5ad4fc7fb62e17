import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { collectTables } from '../src/cli/commands/export.js';
import { tableToCsv } from '../src/export/csv.js';
import { escapeMarkdownCell, tableToMarkdown } from '../src/export/markdown.js';
import { csvSidecar } from '../src/export/registry.js';
import { tablesToXlsx } from '../src/export/xlsx.js';
import type { Table } from '../src/results/table.js';
import { cli, ROOT } from './helpers.js';

const silent = { out: () => {}, err: () => {}, stderrIsTty: false };
const { tables, provenance: prov } = await collectTables([resolve(ROOT, 'scenarios/pp18-options.yaml')], { draws: 200, seed: 2 }, silent);
const TRICKY: Table = {
  id: 'tricky',
  title: 'Tricky | cells',
  footnotes: ['a | b'],
  columns: [
    { id: 'name', header: 'Name', kind: 'text' },
    { id: 'v', header: 'Value', kind: 'chf' },
  ],
  rows: [
    { name: '=HYPERLINK("http://x")', v: -1250.5 },
    { name: 'pipe | and\nnewline', v: 3 },
    { name: '-7', v: null },
  ],
};

/** A GFM table reader: rows split on unescaped pipes, escapes undone. */
function readMarkdownTable(md: string): string[][] {
  return md
    .split('\n')
    .filter((l) => l.startsWith('| ') && !/^\| (:?-+:? \| )*:?-+:? \|$/.test(l))
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((c) => c.replace(/\\\|/g, '|').replace(/<br>/g, '\n').replace(/\\\\/g, '\\')),
    );
}

describe('CSV', () => {
  test('read back by csv-parse: numbers numeric, formulas neutralised, negatives kept', () => {
    const rows = parseCsv(tableToCsv(TRICKY), { cast: true }) as unknown[][];
    expect(rows[0]).toEqual(['Name', 'Value']);
    expect(rows[1]).toEqual(['\'=HYPERLINK("http://x")', -1250.5]);
    expect(rows[2]).toEqual(['pipe | and\nnewline', 3]);
    expect(rows[3]![0]).toBe("'-7"); // a text cell starting with - is escaped; numbers are not
  });
  test('every table survives a round trip at full precision', () => {
    for (const t of tables) {
      const rows = parseCsv(tableToCsv(t), { cast: true }) as unknown[][];
      expect(rows.length, t.id).toBe(t.rows.length + 1);
      t.rows.forEach((r, k) =>
        t.columns.forEach((c, j) => {
          const v = r[c.id];
          if (typeof v === 'number' && Number.isFinite(v)) expect(rows[k + 1]![j]).toBe(v);
        }),
      );
    }
  });
  test('title, units, footnotes and provenance travel in the sidecar, not in the CSV', () => {
    const { files, sidecar } = csvSidecar({ title: 'x', tables, provenance: prov });
    expect(files.map((f) => f.name)).toEqual(tables.map((t) => `${t.id}.csv`));
    for (const f of files) expect(String(f.data)).not.toMatch(/^#/m);
    expect(sidecar.files[0]).toMatchObject({ file: 'comparison.csv', title: tables[0]!.title, footnotes: tables[0]!.footnotes });
    expect(sidecar.files[0]!.columns.find((c) => c.id === 'net')?.unit).toBe('CHF');
    expect(sidecar.provenance).toEqual(prov);
    expect(sidecar.rounding).toContain('nearest franc');
  });
});

describe('Markdown', () => {
  test('pipes and newlines are escaped and read back intact', () => {
    const read = readMarkdownTable(tableToMarkdown(TRICKY));
    expect(read[0]).toEqual(['Name', 'Value']);
    expect(read[2]).toEqual(['pipe | and\nnewline', '3']);
    expect(read[1]![1]).toBe('-1,251'); // rounded half away from zero for display: −1,250.5 -> −1,251
    expect(escapeMarkdownCell('a|b')).toBe('a\\|b');
  });
  test('the comparison table parses with one cell per column', () => {
    const t = tables[0]!;
    const read = readMarkdownTable(tableToMarkdown(t));
    expect(read).toHaveLength(t.rows.length + 1);
    for (const r of read) expect(r).toHaveLength(t.columns.length);
  });
});

describe('XLSX', () => {
  test('loaded back by exceljs: one sheet per table, values and types cell by cell, frozen header, provenance', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await tablesToXlsx(tables, prov)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...tables.map((t) => t.id.slice(0, 31)), 'Provenance']);
    for (const t of tables) {
      const ws = wb.getWorksheet(t.id.slice(0, 31))!;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(ws.getCell(1, 1).value).toBe(t.title);
      t.columns.forEach((c, j) => expect(ws.getCell(2, j + 1).value).toBe(c.header));
      t.rows.forEach((r, k) =>
        t.columns.forEach((c, j) => {
          const cell = ws.getCell(k + 3, j + 1);
          const v = r[c.id];
          if (typeof v === 'number' && Number.isFinite(v)) {
            expect(cell.value).toBe(v);
            expect(typeof cell.value).toBe('number');
            expect(cell.numFmt).toBeTruthy();
          } else if (typeof v === 'string') expect(cell.value).toBe(v);
          else expect(cell.value).toBeNull();
        }),
      );
    }
    const p = wb.getWorksheet('Provenance')!;
    const rows = p
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows).toContainEqual(['seed', '2']);
    expect(rows).toContainEqual(['draws', '200']);
    expect(rows.some((r) => r[0] === 'roster is synthetic' && String(r[1]).startsWith('yes'))).toBe(true);
  });
});

describe('atomic files', () => {
  test('an export interrupted midway leaves no file behind, and an old file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const target = join(dir, 'results.md');
    writeFileSync(target, 'old content\n');
    const child = spawn(
      process.execPath,
      [
        resolve(ROOT, 'bin/feesim.mjs'),
        'export',
        'scenarios/pp18-options.yaml',
        '--sweep-param',
        'options.sme-category.eligibility.maxEmployees',
        '--from',
        '0',
        '--to',
        '3000',
        '--step',
        '1',
        '-o',
        target,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, FEESIM_WRITE_DELAY_MS: '300' },
        stdio: 'ignore',
      },
    );
    // wait until the temporary file exists, i.e. writing has started
    await expect.poll(() => readdirSync(dir).some((f) => f.includes('.tmp-')), { timeout: 30_000, interval: 20 }).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual(['results.md']);
    expect(readFileSync(target, 'utf8')).toBe('old content\n');
  });
  test('export without a format says what is expected (exit 2, no file)', () => {
    const r = cli(['export', 'scenarios/pp18-options.yaml', '-o', 'results.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o  results.txt  expected a file ending in .csv|.md|.xlsx|.json, or --format csv|md|xlsx|json');
    expect(existsSync(resolve(ROOT, 'results.txt'))).toBe(false);
  });
});

describe('run reaches the exporters', () => {
  test('feesim run -o file.md writes the same tables as export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const r = cli(['run', 'scenarios/option-cease-pilot.yaml', '-o', join(dir, 'x.md')]);
    expect(r.code).toBe(0);
    const md = readFileSync(join(dir, 'x.md'), 'utf8');
    expect(md).toContain('# PP-18 option alone: cease-pilot\n\n## Net impact of each option, 2020–2023');
    expect(md).toContain('Assumption: 4. Cease the pilot: the pilot ends: 15 % of participants join as Associates');
  });
});
