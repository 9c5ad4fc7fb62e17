import { Buffer, isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RosterParser } from '../src/roster/roster-stream.js';
import { BYTES_AT, rowKernel } from '../src/roster/row-kernel.js';
import { countries, ROOT } from './helpers.js';
import { plainResult } from './plain-roster.js';

/**
 * The usual rows read by the WebAssembly kernel (src/roster/row-kernel.ts, RosterParser.wasmRows)
 * against the same parser reading them with fastRow alone ({ wasm: false }, as where WebAssembly is not
 * available): the same roster, problems, warnings, lines and long-way rows, the bytes cut into chunks
 * anywhere (inside a character, between CR and LF, inside a quoted field, past the kernel's window).
 */

type Feed = (p: RosterParser, bytes: Buffer) => void;

/** As read-input.ts reads a file: the size announced, chunks read in place. */
const inPlace =
  (size: number, announce = true): Feed =>
  (p, bytes) => {
    if (announce) p.expect(bytes.length);
    for (let a = 0; a < bytes.length; a += size) {
      const m = Math.min(size, bytes.length - a);
      p.readTarget(m).set(bytes.subarray(a, a + m));
      p.pushedInPlace(m);
    }
  };

/** The bytes cut at `points`, given to pushBytes. */
const cutAt =
  (points: number[]): Feed =>
  (p, bytes) => {
    let a = 0;
    for (const c of [...points, bytes.length])
      if (c > a) {
        p.pushBytes(bytes.subarray(a, c));
        a = c;
      }
  };

function read(bytes: Buffer, feed: Feed, wasm: boolean) {
  const p = new RosterParser('r.csv', countries, { wasm, wasmFrom: 0 });
  feed(p, bytes);
  const r = p.end();
  return {
    result: { ...plainResult(r), warnings: r.warnings, longWay: p.longWayRows, newlines: p.newlines },
    kernelRows: p.kernelRows,
  };
}

/** Reads `bytes` both ways; returns the rows the kernel read. */
function expectSame(bytes: Buffer, feed: Feed, what: string): number {
  const js = read(bytes, feed, false);
  const wasm = read(bytes, feed, true);
  expect(js.kernelRows).toBe(0);
  expect(wasm.result, what).toEqual(js.result);
  return wasm.kernelRows;
}

/** A small deterministic generator (an LCG: the same rosters on every run). */
function lcg(seed: number) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return { rnd, pick: <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]! };
}

const COLUMNS = [
  'id',
  'entity',
  'name',
  'category',
  'sector',
  'country',
  'employees',
  'turnover_usd',
  'class_units',
  'independent',
  'meetings_per_year',
  'parent_hq_country',
] as const;
type Col = (typeof COLUMNS)[number];

// cells fastRow stops at, column by column (\u0001-\u0003 stand for bytes that are not UTF-8)
const ODD: Record<Col, string[]> = {
  id: ['', ' ID', 'ID ', '"ID-q"', 'é', 'x\u0001', '#x', '"#x"', 'I\rD'],
  entity: [' E', 'E ', '"E"', 'É', 'E\u00a0', '\t', '€'],
  name: ['', ' n', 'n ', '"a,b"', '"a""b"', '"a\nb"', 'ñ', '\u{1F600}', 'a\rb', 'x\u0002', '\u0003', 'x\u0003y'],
  category: ['sector-membe', 'sme-pilots', 'Exempt', 'associat', 'academiax', '', 's', 'a', 'e', 'sector-member ', 'sm'],
  sector: ['', 'X', 'RT', 'r', ' R', 'T '],
  country: ['', 'ZZZ', 'usa', 'US', 'USAA', ' USA', 'ÜSA', 'AAA', 'CH€', 'XKX'],
  employees: ['', '1234567890123456', '123456789012345', '-1', '1.5', '0', '00012', '1e3', ' 5', '5 ', '99999999999999999'],
  turnover_usd: ['1234567890123456', '123456789012345', 'x', '1.0', '-0', '0'],
  class_units: ['', '0', '1/0', '0/1', '12/', '/2', '1//2', '123456789012/1', '1234567890123', '1/2/3', '01/02', '1.5', ' 1', 'a', '0/0'],
  independent: ['', 'TRUE', 'yes', '1', 'tru', 'falsey', 'fals', 't', 'f'],
  meetings_per_year: ['1234567890123456', 'x', '1.5', '0'],
  parent_hq_country: ['ZZZ', 'usa', 'U', 'US', 'USAX', ' USA', '"USA"', 'AAA', 'KEN'],
};

/**
 * A roster of usual rows with odd cells, lines and line ends at `rate`: the columns in some order, the
 * optional ones sometimes left out; blank lines, comments shaped like rows, CRLF and lone CRs, rows
 * with a field too many or too few, non-ASCII text and bytes that are not UTF-8.
 */
function roster(seed: number, rows: number, rate: number): Buffer {
  const { rnd, pick } = lcg(seed);
  let cols: Col[] = COLUMNS.filter((_, i) => i < 10 || rnd() < 0.7);
  if (rnd() < 0.3)
    cols = cols
      .map((c) => [rnd(), c] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, c]) => c);
  const crlf = rnd() < 0.3;
  const eol = () => (crlf || rnd() < 0.02 ? '\r\n' : '\n');
  const usual = (c: Col, k: number, cat: string): string => {
    switch (c) {
      case 'id':
        return `ID-${k}`;
      case 'entity':
        return pick([`E-${k % 97}`, '', `E-${k}`, `EÉN-${k % 7}`]);
      case 'name':
        return pick([`Name ${k}`, `Société ${k}`, `N${k}`, `Zürich AG ${k % 13}`, `x名前${k}`, 'x']);
      case 'category':
        return cat;
      case 'sector':
        return pick(['R', 'T', 'D']);
      case 'country':
        return pick(['USA', 'CHE', 'KEN', 'FRA', 'IND', 'BRA', 'DEU', 'JPN', 'NGA', 'NPL']);
      case 'employees':
        return pick([String(Math.floor(rnd() * 5000)), '', '123456789012345']);
      case 'turnover_usd':
        return pick(['', String(Math.floor(rnd() * 1e9))]);
      case 'class_units':
        return cat === 'sector-member' ? pick(['1/8', '1/2', '1', '2', '1/16', '3', '10/3', '000000000001']) : '';
      case 'independent':
        return pick(['true', 'false']);
      case 'meetings_per_year':
        return pick(['', String(Math.floor(rnd() * 20))]);
      case 'parent_hq_country':
        return pick(['', '', 'USA', 'CHE', 'IND']);
    }
  };
  const lines = [rnd() < 0.3 ? `# feesim:synthetic seed=${seed}${eol()}` : '', cols.join(','), eol()];
  for (let k = 0; k < rows; k++) {
    const cat = pick(['sector-member', 'associate', 'academia', 'sme-pilot', 'exempt']);
    const cells = cols.map((c) => (rnd() < rate ? pick(ODD[c]) : usual(c, k, cat)));
    let line = cells.join(',');
    const r = rnd();
    if (r < rate / 4) line += ',extra';
    else if (r < rate / 2) line = cells.slice(0, -1).join(',');
    else if (r < rate * 0.6) line = '';
    else if (r < rate * 0.7) line = `#${line}`;
    else if (r < rate * 0.75) line = `${line}\r`;
    lines.push(line, eol());
  }
  let text = lines.join('');
  if (rnd() < 0.2) text = text.replace(/\r?\n$/, '');
  const bytes = text
    .split(/([\u0001-\u0003])/)
    .map((s) =>
      s === '\u0001'
        ? Buffer.from([0xff])
        : s === '\u0002'
          ? Buffer.from([0xc3])
          : s === '\u0003'
            ? Buffer.from([0xe2, 0x82])
            : Buffer.from(s, 'utf8'),
    );
  return Buffer.concat(bytes);
}

describe('the usual rows read by the WebAssembly kernel = read by fastRow alone', () => {
  it('the kernel compiles here (Node 20 has WebAssembly) and reads the bundled roster’s usual rows', () => {
    const bytes = readFileSync(resolve(ROOT, 'data/roster-synthetic.csv'));
    const wasm = read(bytes, inPlace(1 << 20), true);
    expect(wasm.kernelRows).toBeGreaterThan(0);
    expect(wasm.kernelRows + wasm.result.longWay).toBeLessThanOrEqual(wasm.result.roster!.size);
    expect(wasm.result).toEqual(read(bytes, inPlace(1 << 20), false).result);
  });

  it('by default a roster under 1 MiB is read by fastRow alone, a larger one by the kernel', () => {
    const small = new RosterParser('r.csv', countries);
    inPlace(1 << 20)(small, readFileSync(resolve(ROOT, 'data/roster-synthetic.csv')));
    small.end();
    expect(small.kernelRows).toBe(0);
    const bytes = roster(21, 20_000, 0.01);
    expect(bytes.length).toBeGreaterThan(1 << 20);
    const large = new RosterParser('r.csv', countries);
    inPlace(1 << 20)(large, bytes);
    const r = large.end();
    expect(large.kernelRows).toBeGreaterThan(0);
    const result = { ...plainResult(r), warnings: r.warnings, longWay: large.longWayRows, newlines: large.newlines };
    expect(result).toEqual(read(bytes, inPlace(1 << 20), false).result);
  });

  it('the kernel (one per process) keeps no reference to a parser: a roster read and dropped is let go', () => {
    const bytes = readFileSync(resolve(ROOT, 'data/roster-synthetic.csv'));
    expect(read(bytes, inPlace(1 << 20), true).kernelRows).toBeGreaterThan(0);
    const k = rowKernel(0)!;
    expect(typeof k.owner).toBe('number');
    expect(Object.values(k).some((v) => v instanceof RosterParser)).toBe(false);
  });

  it('generated rosters, odd cells at every rate, in chunks of many sizes and cut at random', () => {
    let kernelRows = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rate = [0, 0.002, 0.02, 0.1, 0.4][seed % 5]!;
      const bytes = roster(seed, 300 + ((seed * 997) % 3000), rate);
      const { rnd } = lcg(seed * 31);
      const points: number[] = [];
      for (let x = 0; x < bytes.length; ) {
        x += 1 + Math.floor(rnd() * (rnd() < 0.5 ? 40 : 20000));
        points.push(x);
      }
      for (const [what, feed] of [
        ['in place, 1 MiB', inPlace(1 << 20)],
        ['in place, 4093 bytes, not announced', inPlace(4093, false)],
        ['in place, 61 bytes', inPlace(61)],
        ['cut at random', cutAt(points)],
      ] as const)
        kernelRows += expectSame(bytes, feed, `seed ${seed}, ${what}`);
    }
    // many rows: not those after a byte that is not UTF-8 with non-ASCII text (fastRow checks their bytes),
    // nor those left to fastRow after the kernel could not read several rows in a row (kSkip)
    expect(kernelRows).toBeGreaterThan(25_000);
  });

  it('a small roster cut at every byte (and at every pair of bytes near a row’s end)', () => {
    for (let seed = 100; seed < 104; seed++) {
      const bytes = roster(seed, 12, seed % 2 ? 0.15 : 0.02);
      for (let c = 1; c < bytes.length; c++) expectSame(bytes, cutAt([c]), `seed ${seed}, cut at ${c}`);
      const end = bytes.indexOf(10, bytes.length >> 1);
      for (let a = end - 12; a < end + 3; a++)
        for (let b = a + 1; b < end + 6; b++) expectSame(bytes, cutAt([a, b]), `seed ${seed}, cut at ${a}, ${b}`);
    }
  });

  it('a roster longer than the kernel’s window (256 KiB), rows across its end, in 1 MiB chunks and odd ones', () => {
    const bytes = roster(7, 40_000, 0.001);
    expect(bytes.length).toBeGreaterThan(1 << 21);
    for (const feed of [inPlace(1 << 20), inPlace(300_007, false), inPlace(65_537)])
      expect(expectSame(bytes, feed, 'large')).toBeGreaterThan(15_000);
  });

  it('a line starting with # among rows the kernel reads is a comment (and warned of when shaped like a row)', () => {
    const rows = Array.from({ length: 50 }, (_, k) => `ID-${k},E,Name,exempt,T,CHE,,,,true,`);
    rows[20] = `#${rows[20]}`;
    const bytes = Buffer.from(
      `id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year\n${rows.join('\n')}\n`,
    );
    const wasm = read(bytes, inPlace(1 << 20), true);
    expect(wasm.result.roster!.size).toBe(49);
    expect(wasm.result.warnings).toHaveLength(1);
    expectSame(bytes, inPlace(1 << 20), 'comment');
  });

  it('two parsers reading at once share the kernel (its tables are the parser’s own each call)', () => {
    const a = roster(11, 3000, 0.01);
    const b = roster(12, 3000, 0.01);
    const pa = new RosterParser('r.csv', countries, { wasmFrom: 0 });
    const pb = new RosterParser('r.csv', countries, { wasmFrom: 0 });
    for (let k = 0; k < Math.max(a.length, b.length); k += 5000) {
      if (k < a.length) pa.pushBytes(a.subarray(k, k + 5000));
      if (k < b.length) pb.pushBytes(b.subarray(k, k + 5000));
    }
    const ra = pa.end();
    const rb = pb.end();
    expect(pa.kernelRows).toBeGreaterThan(0);
    expect(pb.kernelRows).toBeGreaterThan(0);
    const alone = (bytes: Buffer) => {
      const p = new RosterParser('r.csv', countries, { wasm: false });
      for (let k = 0; k < bytes.length; k += 5000) p.pushBytes(bytes.subarray(k, k + 5000));
      const r = p.end();
      return { ...plainResult(r), warnings: r.warnings };
    };
    expect({ ...plainResult(ra), warnings: ra.warnings }).toEqual(alone(a));
    expect({ ...plainResult(rb), warnings: rb.warnings }).toEqual(alone(b));
  });

  it('its UTF-8 check = isUtf8: every sequence of 1 and 2 bytes, 3 and 4 bytes around every boundary, random strings', () => {
    const k = rowKernel(1 << 16)!;
    const edges = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    const cases: number[][] = [];
    for (let a = 0; a < 256; a++) {
      cases.push([a]);
      for (let b = 0; b < 256; b++) {
        cases.push([a, b]);
        if (a >= 0xc0) for (const c of edges) cases.push([a, b, c], [0x41, a, b, c]);
      }
    }
    for (const a of [0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7])
      for (const b of edges) for (const c of edges) for (const d of edges) cases.push([a, b, c, d], [a, b, c, d, 0x41]);
    const { rnd } = lcg(5);
    for (let n = 0; n < 20_000; n++) {
      const s = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () =>
        rnd() < 0.5 ? 0x80 + Math.floor(rnd() * 64) : Math.floor(rnd() * 256),
      );
      cases.push(s, [...Buffer.from('añ€😀', 'utf8'), ...s]);
    }
    let different = 0;
    for (const s of cases) {
      k.memory.set(s, BYTES_AT);
      if ((k.utf8(0, s.length) === 1) !== isUtf8(Uint8Array.from(s))) different++;
      // the same sequence cut short: the check stops at `to`
      if (s.length > 1 && (k.utf8(0, s.length - 1) === 1) !== isUtf8(Uint8Array.from(s.slice(0, -1)))) different++;
    }
    k.owner = 0; // its bytes are no parser's now
    expect(different).toBe(0);
    expect(cases.length).toBeGreaterThan(800_000);
  });
});
