import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { describe, expect, test } from 'vitest';
import { tornado } from '../src/engine/tornado.js';
import { type BriefScenario, largestSensitivities } from '../src/results/brief.js';
import { formatCell } from '../src/results/table.js';
import { bundledRoster, cli, modelOf, ROOT, scenarioWith } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'feesim-brief-'));
const GOLDEN = resolve(ROOT, 'test/expected/pp18-options.brief.md');
const ARGS = ['brief', 'scenarios/pp18-options.yaml', '--draws', '1000', '--seed', '1'];

describe('feesim brief (Markdown)', () => {
  test('the shipped comparison matches the reviewed golden brief (FEESIM_UPDATE_GOLDEN=1 rewrites it)', () => {
    const r = cli(ARGS);
    expect(r.code).toBe(0);
    if (process.env.FEESIM_UPDATE_GOLDEN) writeFileSync(GOLDEN, r.stdout);
    const golden = readFileSync(GOLDEN, 'utf8');
    if (r.stdout !== golden) {
      // name the first line that moved, as `check` names the metric
      const a = golden.split('\n'),
        b = r.stdout.split('\n');
      const k = a.findIndex((line, i) => line !== b[i]);
      expect(`line ${k + 1}: ${b[k]}`).toBe(`line ${k + 1}: ${a[k]}`);
    }
  });

  test('document columns, one synthetic-roster footnote on the table, three distinct sensitivities', () => {
    const md = readFileSync(GOLDEN, 'utf8');
    expect(md).toContain('| Rank | Option | Net impact | Net P5–P95 | P(net loss) | SME participants 2023 |');
    const table = md.slice(md.indexOf('## Options compared'), md.indexOf('## Key assumptions'));
    expect(table).toMatch(/\n1\. Roster: SYNTHETIC/);
    const sens = md.slice(md.indexOf('## Largest sensitivities'), md.indexOf('## Caveats'));
    const names = [...sens.matchAll(/^\d\. \*\*(.+?)\*\*/gm)].map((m) => m[1]);
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    // every CHF figure has thousands separators
    expect(md).not.toMatch(/CHF -?\d{4,}/);
  });

  test('--columns chooses the columns; an unknown one is exit 2 naming the available ones', () => {
    const r = cli([...ARGS, '--columns', 'option,net,pLoss']);
    expect(r.stdout).toContain('| Option | Net impact | P(net loss) |');
    const bad = cli([...ARGS, '--columns', 'option,nett']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"nett"');
    expect(bad.stderr).toContain('p5p95');
  });
});

describe('feesim verify on a brief', () => {
  test('brief.md carries its record: verify re-runs it (0), a changed figure is 1; a Word brief is refused with a way out (2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-brief-verify-'));
    const md = join(dir, 'b.md');
    expect(cli(['brief', 'scenarios/option-sme-category.yaml', '--draws', '100', '--seed', '3', '-o', md]).code).toBe(0);
    const ok = cli(['verify', md]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    writeFileSync(
      md,
      readFileSync(md, 'utf8').replace(/\| 1\. SME category \| (-?[\d,]+) \|/, (_m, n: string) => `| 1. SME category | ${n}1 |`),
    );
    expect(cli(['verify', md]).code).toBe(1);
    const docx = join(dir, 'b.docx');
    writeFileSync(docx, 'PK');
    const word = cli(['verify', docx]);
    expect(word.code).toBe(2);
    expect(word.stdout + word.stderr).toContain('verify its Markdown twin');
  });
});

describe('feesim brief -o brief.docx', () => {
  const out = join(dir, 'brief.docx');
  const r = cli([...ARGS, '-o', out]);
  const run = JSON.parse(cli(['run', '--json', '--draws', '1000', '--seed', '1']).stdout);

  test('mammoth reads it: headings, the table cells equal the run, two figures, provenance annex', async () => {
    expect(r.code).toBe(0);
    const buffer = readFileSync(out);
    const text = (await mammoth.extractRawText({ buffer })).value;
    for (const h of ['Question', 'Options compared', 'Key assumptions', 'Largest sensitivities', 'Caveats', 'Annex: provenance'])
      expect(text).toContain(h);
    expect(text).toContain('feesim brief scenarios/pp18-options.yaml --draws 1000 --seed 1');
    const html = (await mammoth.convertToHtml({ buffer })).value;
    expect(html.match(/<img /g)).toHaveLength(2);
    expect(html).toMatch(/Figure 1: Net impact by employee threshold/);
    expect(html).toMatch(/Figure 2: What drives the net impact/);
  });

  test('unzip + XML: the options table holds the run, cell by cell; the roster caveat is a Word footnote', async () => {
    const zip = await JSZip.loadAsync(readFileSync(out));
    const xml = await zip.file('word/document.xml')!.async('string');
    const doc = new XMLParser({ ignoreAttributes: true, isArray: (name) => ['w:tbl', 'w:tr', 'w:tc', 'w:p', 'w:r'].includes(name) }).parse(
      xml,
    );
    const cellText = (tc: Record<string, unknown>) =>
      ((tc['w:p'] as Record<string, unknown>[]) ?? [])
        .flatMap((p) => ((p['w:r'] as Record<string, unknown>[]) ?? []).map((r) => String((r['w:t'] as unknown) ?? '')))
        .join('');
    const tables = doc['w:document']['w:body']['w:tbl'] as Record<string, unknown>[];
    const rows = (tables[0]!['w:tr'] as Record<string, unknown>[]).map((tr) => (tr['w:tc'] as Record<string, unknown>[]).map(cellText));
    expect(rows[0]).toEqual(['Rank', 'Option', 'Net impact', 'Net P5–P95', 'P(net loss)', 'SME participants 2023']);
    expect(rows).toHaveLength(1 + run.arms.length);
    run.arms.forEach((a: { id: string; label: string; total: { net: number }; years: { smeParticipants: number }[] }, k: number) => {
      const m = run.monteCarlo.arms.find((x: { id: string }) => x.id === a.id);
      expect(rows[k + 1]).toEqual([
        String(k + 1),
        a.label,
        formatCell(a.total.net, 'chf'),
        `${formatCell(m.total.p5, 'chf')} to ${formatCell(m.total.p95, 'chf')}`,
        formatCell(m.total.probLoss, 'percent'),
        formatCell(a.years[a.years.length - 1]!.smeParticipants, 'number'),
      ]);
    });
    expect(xml.match(/<w:drawing>/g)).toHaveLength(2);
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/') && f.endsWith('.png'))).toHaveLength(2);
    expect(await zip.file('word/footnotes.xml')!.async('string')).toContain('SYNTHETIC');
  });

  test('byte-identical on rerun (the reproduce command names the output, so the same path)', () => {
    const before = readFileSync(out);
    expect(cli([...ARGS, '-o', out]).code).toBe(0);
    expect(Buffer.compare(readFileSync(out), before)).toBe(0);
  });

  test('-o onto a directory: exit 2, nothing written', () => {
    const bad = cli([...ARGS, '-o', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('-o');
  });
});

describe('largest sensitivities', () => {
  test('a swing the option and its combination share to the micro-franc names the option, whatever their last bits', () => {
    const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', {}), bundledRoster());
    const param = 'options.sme-category.switchPropensity.sectorMemberFactor';
    const swing = (arm: string) => tornado(model, arm).bars.find((b) => b.param === param)!.swing;
    // the premise: the SME category alone and with pay-as-you-go move by the same amount, to the micro-franc
    expect(Math.round(swing('sme-category') * 1e6)).toBe(Math.round(swing('sme-plus-payg') * 1e6));
    const row = largestSensitivities([{ name: 'pp18', model } as BriefScenario], 10).find((r) => r.param === param);
    expect(row?.arm).toBe('1. SME category');
  });
});
