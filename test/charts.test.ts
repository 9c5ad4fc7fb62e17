import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'feesim-charts-'));
const MC = ['--draws', '200', '--seed', '3'];

type Node = Record<string, unknown>;
/** Every <g> whose class names a mark (Vega's SVG: class="mark-<type> role-mark <name>_marks"), with its item count. */
function markGroups(svg: string): Map<string, number> {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(svg) as Node;
  const out = new Map<string, number>();
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    const cls = node['@class'];
    if (typeof cls === 'string' && cls.includes('role-mark')) {
      const name = cls
        .split(' ')
        .pop()!
        .replace(/_marks$/, '');
      const items = Object.entries(node)
        .filter(([k]) => !k.startsWith('@'))
        .reduce((s, [, v]) => s + (Array.isArray(v) ? v.length : 1), 0);
      out.set(name, (out.get(name) ?? 0) + items);
    }
    for (const [k, v] of Object.entries(node)) if (!k.startsWith('@')) walk(v);
  };
  walk(doc);
  return out;
}

/** An independent PNG reader: signature, IHDR, chunk CRC-free walk, IDAT inflated to height × (1 + width × channels) bytes. */
function readPng(buf: Buffer) {
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  const idat: Buffer[] = [];
  const text: Record<string, string> = {};
  let width = 0,
    height = 0,
    channels = 0;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      channels = ({ 2: 3, 6: 4, 0: 1, 4: 2 } as Record<number, number>)[data[9]!]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'iTXt') {
      const z = data.indexOf(0);
      text[data.toString('utf8', 0, z)] = data.toString('utf8', z + 5);
    }
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (1 + width * channels));
  return { width, height, text };
}

function render(kind: string, ext: 'svg' | 'png', args: string[] = []) {
  const out = join(dir, `${kind}-${args.length}.${ext}`);
  const r = cli(['chart', kind, ...args, '-o', out]);
  expect(r.stderr).toContain('wrote');
  expect(r.code).toBe(0);
  return readFileSync(out);
}

const run = JSON.parse(cli(['run', '--json', ...MC]).stdout);
const nArms = run.arms.length as number;
const years = run.baseline.length as number;

describe('feesim chart: every kind to SVG (parsed as XML, one mark per data point or bar) and PNG (decoded)', () => {
  const cases: { kind: string; args: string[]; marks: Record<string, number> }[] = [
    { kind: 'threshold', args: ['--from', '0', '--to', '300', '--step', '50', ...MC], marks: { points: 7, band: 1, curve: 1, markers: 2 } },
    { kind: 'options', args: MC, marks: { bars: nArms, whiskers: nArms } },
    { kind: 'yearly', args: MC, marks: { points: nArms * years, whiskers: nArms * years } },
    { kind: 'heatmap', args: [], marks: { cells: 7 * 4, labels: 7 * 4 } },
  ];
  for (const c of cases)
    test(`${c.kind}`, () => {
      const svg = render(c.kind, 'svg', c.args).toString('utf8');
      expect(XMLValidator.validate(svg)).toBe(true);
      const groups = markGroups(svg);
      for (const [name, n] of Object.entries(c.marks)) expect(groups.get(name), name).toBe(n);
      expect(svg).toContain('SYNTHETIC');
      expect(svg).toMatch(/<desc>[^<]+<\/desc>/);
      expect(svg).toContain('reproduce="feesim chart');
      const png = readPng(render(c.kind, 'png', c.args));
      const svgWidth = Number(/<svg[^>]*width="(\d+)"/.exec(svg)![1]);
      const svgHeight = Number(/<svg[^>]*height="(\d+)"/.exec(svg)![1]);
      expect(png.width).toBe(svgWidth * 2);
      expect(Math.abs(png.height - svgHeight * 2)).toBeLessThanOrEqual(1);
      expect(png.text.Description).toContain('SYNTHETIC');
      expect(png.text.Source).toMatch(/scenario .*pp18-options\.yaml sha256 [0-9a-f]{64}/);
    });

  test('tornado: two bars (P10 side and P90 side) per assumption, as many as `feesim tornado --json` has', () => {
    const t = JSON.parse(cli(['tornado', '--option', 'sme-category', '--json']).stdout).tornado[0];
    const svg = render('tornado', 'svg', ['--option', 'sme-category']).toString('utf8');
    expect(markGroups(svg).get('bars')).toBe(2 * t.bars.length);
    const png = readPng(render('tornado', 'png', ['--option', 'sme-category', '--width', '900']));
    expect(png.width).toBe(900);
  });

  test('--spec writes the Vega-Lite JSON with the data, the caption and the provenance', () => {
    const r = cli(['chart', 'options', '--spec']);
    expect(r.code).toBe(0);
    const spec = JSON.parse(r.stdout);
    expect(spec.$schema).toContain('vega-lite');
    expect(spec.data.values).toHaveLength(nArms);
    expect(spec.usermeta.feesim.caption.join(' ')).toContain('SYNTHETIC');
    expect(spec.title.subtitle.join(' ')).toContain('SYNTHETIC');
  });

  test('the same inputs and seed give byte-identical SVG and PNG', () => {
    const a = render('options', 'png', MC);
    const b = render('options', 'png', MC);
    expect(Buffer.compare(a, b)).toBe(0);
  });

  test('bad input: unknown kind, wrong extension, an option without a threshold: exit 2, no file', () => {
    expect(cli(['chart', 'pie', '-o', join(dir, 'x.svg')]).code).toBe(2);
    const r = cli(['chart', 'options', '-o', join(dir, 'x.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o');
    const t = cli(['chart', 'threshold', '--option', 'cease-pilot', '-o', join(dir, 'y.svg')]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('no employee threshold');
    expect(t.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('feesim export --charts', () => {
  test('XLSX: the PNG charts on their own sheet, read back by exceljs', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const out = join(dir, 'pp18.xlsx');
    const r = cli(['export', 'scenarios/pp18-options.yaml', ...MC, '--charts', '-o', out]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as never);
    const ws = wb.getWorksheet('Charts')!;
    const images = ws.getImages();
    expect(images).toHaveLength(4); // options, yearly, threshold, tornado
    for (const im of images) {
      const media = wb.getImage(Number(im.imageId));
      expect(media.extension).toBe('png');
      const png = readPng(Buffer.from(media.buffer as unknown as Uint8Array));
      expect(png.text.Description).toContain('SYNTHETIC');
    }
    expect(String(ws.getCell(1, 1).value)).toMatch(/^Net impact of each option/);
    // the other sheets are untouched: the comparison keeps every column in XLSX by default
    const cmp = wb.getWorksheet('comparison')!;
    expect(cmp.getRow(2).values).toContain('Discounted net');
  });

  test('Markdown: PNGs next to it, linked; document columns by default, --columns all restores them', () => {
    const out = join(dir, 'md', 'pp18.md');
    mkdirSync(join(dir, 'md'), { recursive: true });
    const r = cli(['export', 'scenarios/pp18-options.yaml', ...MC, '--charts', '-o', out]);
    expect(r.code).toBe(0);
    const md = readFileSync(out, 'utf8');
    for (const kind of ['options', 'yearly', 'threshold', 'tornado']) {
      expect(md).toContain(`](pp18-${kind}.png)`);
      readPng(readFileSync(join(dir, 'md', `pp18-${kind}.png`)));
    }
    expect(md).toContain('| Rank | Option | Net impact | Net P5–P95 | P(net loss) | SME participants 2023 |');
    const all = cli(['export', 'scenarios/pp18-options.yaml', '--format', 'md', '--columns', 'all']);
    expect(all.stdout).toContain('Discounted net');
    expect(cli(['export', 'scenarios/pp18-options.yaml', '--format', 'csv', '--charts', '-o', join(dir, 'x.csv')]).code).toBe(2);
  });
});
