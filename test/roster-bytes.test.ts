import { Buffer, isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashText } from '../src/engine/random/streams.js';
import { RosterParser } from '../src/roster/parse-roster.js';
import { BytesTextColumn, hashBytes, hashBytesOf } from '../src/roster/text-column.js';
import { Utf8Check, Utf8Stream } from '../src/roster/utf8-stream.js';
import { countries, HEADER, ROOT } from './helpers.js';
import { plainResult } from './plain-roster.js';
import { parseRoster as parseWhole } from './reference/parse-roster-whole.js';
import { utf8Piece } from './utf8-pieces.js';

/**
 * The byte-level reader as the CLI drives it (src/cli/read-input.ts): the file's bytes handed to
 * RosterParser.pushBytes in chunks of any size, undecoded, and checked as UTF-8 by Utf8Check on the
 * side — against the whole-text reference reader (test/reference/parse-roster-whole.ts) on the file
 * decoded whole (invalid bytes as U+FFFD), and the warning line against the line of the first U+FFFD
 * of that text. Chunks cut multi-byte characters, invalid sequences, quoted fields, "" escapes and
 * CRLFs anywhere; rows go through the one-pass reading (fastRow) or the long way.
 */

function oldDecode(bytes: Buffer): { text: string; warningLine?: number } {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8') };
  const text = bytes.toString('utf8');
  const at = text.indexOf('\uFFFD');
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return { text, warningLine: line };
}

/** As read-input.ts's Consumer: check, then hand on, each chunk; `announce`: the size told first (expect). */
function readBytes(bytes: Buffer, size: number, file: string, announce?: number) {
  const p = new RosterParser(file, countries);
  const check = new Utf8Check();
  if (announce !== undefined) p.expect(announce);
  for (let i = 0; i < bytes.length; i += size) {
    // a reused buffer, as read-input.ts reads into one: the parser must copy what it keeps
    const chunk = Buffer.from(bytes.subarray(i, i + size));
    check.check(chunk, p.newlines);
    p.pushBytes(chunk);
    chunk.fill(0x2c);
  }
  check.end(p.newlines);
  return { ...plainResult(p.end()), warningLine: check.invalid ? check.replacementLine : undefined };
}

/**
 * As streamInputFile reads a file into the parser: the size announced, each chunk read in place, and
 * the next chunk written where readTargetAhead says before this one is pushed (read-input.ts reads it
 * on the thread pool meanwhile, so while the parser reads those bytes may be anything): the bytes
 * past those pushed must change nothing. `poison`: line ends there while the chunk is read, the next
 * chunk's bytes only after.
 */
function readAhead(bytes: Buffer, size: number, file: string, poison = false) {
  const p = new RosterParser(file, countries);
  p.expect(bytes.length);
  let at = 0;
  let n = Math.min(size, bytes.length);
  p.readTarget(n).set(bytes.subarray(0, n));
  for (;;) {
    const next = Math.min(size, bytes.length - at - n);
    const ahead = next > 0 ? p.readTargetAhead(n, next) : undefined;
    if (poison) ahead?.fill(0x0a);
    else ahead?.set(bytes.subarray(at + n, at + n + next));
    p.pushedInPlace(n);
    if (poison) ahead?.set(bytes.subarray(at + n, at + n + next));
    at += n;
    if (at >= bytes.length) break;
    n = Math.min(size, bytes.length - at);
    const target = p.readTarget(n);
    // the same memory as the read ahead, unless the parser has stopped
    if (ahead === undefined || target.buffer !== ahead.buffer || target.byteOffset !== ahead.byteOffset)
      target.set(bytes.subarray(at, at + n));
  }
  return plainResult(p.end());
}

function expectSame(bytes: Buffer, file: string, sizes: number[]) {
  const old = oldDecode(bytes);
  const want = parseWhole(old.text, file, countries);
  for (const size of sizes) {
    for (const announce of [undefined, bytes.length, 10, bytes.length * 2]) {
      const got = readBytes(bytes, size, file, announce);
      expect(got.warningLine, `warning line, chunks of ${size}, announced ${announce}`).toEqual(old.warningLine);
      expect({ roster: got.roster, issues: got.issues }, `chunks of ${size}, announced ${announce}`).toEqual(want);
    }
  }
  return want;
}

const csvFiles = (dir: string) =>
  readdirSync(resolve(ROOT, dir))
    .filter((f) => f.endsWith('.csv'))
    .map((f) => join(dir, f));

describe('byte-level roster reader (pushBytes + Utf8Check) = whole-text reader on the decoded file', () => {
  it('the bundled rosters and every CSV fixture, in chunks of 1 to 64 KiB, with and without the size announced', () => {
    const files = ['data/roster-synthetic.csv', 'data/pilot-smes.csv', ...csvFiles('test/fixtures/good'), ...csvFiles('test/fixtures/bad')];
    for (const f of files) {
      const bytes = readFileSync(resolve(ROOT, f));
      expectSame(bytes, f, bytes.length > 20_000 ? [7, 4096, 1 << 16] : [1, 2, 3, 5, 64, 4096]);
    }
  });

  it('a multi-byte character, a quoted field, a "" and a CRLF cut by every chunk size; a BOM cut in three', () => {
    const text = [
      '\uFEFF# feesim:synthetic seed=7',
      HEADER,
      'a1,E1,"Ünïcödé, ""quoted""\r\nname 中文 😀",sector-member,T,CHE,10,,1/2,true,',
      'a2,Zürich,Zürich AG,associate,D,KEN,3,,,true,2',
      'a3,,😀 x 😀,academia,R,DEU,,,,true,',
      'a4,E4,plain,sector-member,R,USA,12,100,1,false,',
    ].join('\r\n');
    const bytes = Buffer.from(text);
    const r = expectSame(bytes, 'cut.csv', [1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 64]);
    expect(r.issues).toEqual([]);
    expect(r.roster?.name.at(0)).toBe('Ünïcödé, "quoted"\r\nname 中文 😀');
    expect(r.roster?.entity.at(1)).toBe('Zürich');
    expect(r.roster?.name.at(2)).toBe('😀 x 😀');
    expect(r.roster?.provenance.kind).toBe('synthetic');
  });

  it('invalid UTF-8 anywhere (in a name, an id, a code, a comment, the header, cut at a chunk end, at the end of the file)', () => {
    const bad = [[0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xef, 0xbf, 0xbd]];
    const rows = [
      '# note',
      HEADER,
      'a1,E1,Name one,sector-member,T,CHE,10,,1/2,true,',
      'a2,E2,Zürich AG,associate,D,KEN,3,,,true,2',
      'a3,E1,"quoted, name",academia,R,DEU,,,,true,',
      'a4,E4,plain,exempt,R,USA,,,,false,',
    ].join('\n');
    const base = Buffer.from(rows);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length), fc.constantFrom(...bad)), { maxLength: 3 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 9 }),
        (inserts, atEnd, size) => {
          let bytes = base;
          for (const [at, seq] of [...inserts].sort((a, b) => b[0] - a[0]))
            bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(seq), bytes.subarray(at)]);
          if (atEnd) bytes = Buffer.concat([bytes, Buffer.from([0xe2, 0x82])]);
          const old = oldDecode(bytes);
          const want = parseWhole(old.text, 'bad.csv', countries);
          const got = readBytes(bytes, size, 'bad.csv');
          expect(got.warningLine).toEqual(old.warningLine);
          expect({ roster: got.roster, issues: got.issues }).toEqual(want);
        },
      ),
      { numRuns: 400, seed: 31 },
    );
    // two ids that differ only in invalid bytes are the same id (both read as U+FFFD): a duplicate
    const dup = Buffer.concat([
      Buffer.from(`${HEADER}\nx`),
      Buffer.from([0xff]),
      Buffer.from('y,E,n,exempt,T,CHE,,,,true,\nx'),
      Buffer.from([0xfe]),
      Buffer.from('y,E,n,exempt,T,CHE,,,,true,\n'),
    ]);
    const r = expectSame(dup, 'dup.csv', [1, 5, 4096]);
    expect(r.issues.map((i) => i.message)).toEqual(['duplicate id "x\uFFFDy" (first on line 2)']);
  });

  it('a short record cut by a chunk end where a category, code or true/false would be: lines still counted for the warning', () => {
    for (const short of ['x1,E1,N,sector', 'x1,E1,N,exempt,T,CH', 'x1,E1,N,exempt,T,CHE,,,,tr', 'x1,E1,N,s', 'x1,E1,N,exempt,T,'])
      for (const eol of ['\n', '\r\n']) {
        const bytes = Buffer.concat([
          Buffer.from(`${HEADER}${eol}${short}${eol}x2,E2,N`),
          Buffer.from([0xff]),
          Buffer.from(`x,exempt,T,CHE,,,,true,${eol}`),
        ]);
        const sizes = Array.from({ length: 60 }, (_, k) => k + 1);
        const want = oldDecode(bytes);
        expect(want.warningLine).toBe(3);
        expectSame(bytes, 'short.csv', sizes);
      }
  });

  it('rows that leave the one-pass reading at each column (and come back to it on the next row)', () => {
    const good = ['r0', 'E0', 'Name', 'sector-member', 'T', 'CHE', '10', '500', '1/2', 'true', '3'];
    const variants: Record<number, string[]> = {
      0: ['', ' r ', '"r"', 'r"x', 'é', 'r\rs'],
      1: ['', ' E ', '"E, F"', 'Zürich', 'Ö'],
      2: ['', ' N', 'N ', '"N"', 'a""b', '中文', 'x中'],
      3: ['associate', 'sme-pilot', 'academia', 'exempt', 'Exempt', 'member', ' exempt', 'sector-members'],
      4: ['R', 'D', 'X', 'RT', '', '"T"'],
      5: ['KEN', 'XYZ', 'che', '', 'CH', ' CHE', 'ABCD'],
      6: ['', '0', '007', '1.5', '1e3', '-1', '1234567890123456', ' 4'],
      7: ['', '2.5', 'x', '0x10', '123456789012345'],
      8: ['', '1', '2', '1/16', '0', '1/0', '0/0', ' 1/2', '1.5', '12345678901/2'],
      9: ['false', 'TRUE', 'yes', '', 'maybe', 'tru'],
      10: ['', '2.5', '12', 'n/a'],
    };
    const rows: string[] = [];
    let k = 0;
    for (const [col, values] of Object.entries(variants))
      for (const v of values) {
        const cells = good.map((g, c) => (c === 0 ? `r${k}` : g));
        cells[Number(col)] = Number(col) === 0 ? `${v}${k}` : v;
        rows.push(cells.join(','));
        rows.push(good.map((g, c) => (c === 0 ? `ok${k}` : g)).join(','));
        k++;
      }
    rows.push('short,row', good.join(',').replace('r0', 'long'), `${good.join(',').replace('r0', 'extra')},x`);
    for (const eol of ['\n', '\r\n']) {
      const bytes = Buffer.from(`${HEADER}${eol}${rows.join(eol)}${eol}`);
      const r = expectSame(bytes, 'variants.csv', [1, 3, 64, 4096]);
      expect(r.issues.length).toBeGreaterThan(20);
    }
    // a valid file of the same kind: every value as the reference reads it
    const valid = Object.entries(variants).flatMap(([col, values]) =>
      values.map((v, q) => {
        const cells = good.map((g, c) => (c === 0 ? `v${col}-${q}` : g));
        if (Number(col) !== 0) cells[Number(col)] = v;
        return cells.join(',');
      }),
    );
    const okRows = valid.filter((row) => parseWhole(`${HEADER}\n${row}\n`, 'x', countries).roster);
    expect(okRows.length).toBeGreaterThan(25);
    const r = expectSame(Buffer.from(`${HEADER}\n${okRows.join('\n')}\n`), 'valid.csv', [1, 7, 4096]);
    expect(r.roster?.size).toBe(okRows.length);
  });
});

describe('the next chunk read ahead, past the bytes the parser holds', () => {
  it('= the whole-text reader, whatever those bytes hold while a chunk is read: the bundled roster, every fixture, rows cut after each byte with the Sector last', () => {
    const files = ['data/roster-synthetic.csv', ...csvFiles('test/fixtures/good'), ...csvFiles('test/fixtures/bad')];
    for (const f of files) {
      const bytes = readFileSync(resolve(ROOT, f));
      const want = parseWhole(oldDecode(bytes).text, f, countries);
      for (const size of bytes.length > 20_000 ? [7, 4096] : [1, 2, 3, 5, 64])
        for (const poison of [false, true]) expect(readAhead(bytes, size, f, poison), `${f}, chunks of ${size}`).toEqual(want);
    }
    // a one-letter Sector last on its line, each row cut after each of its bytes: what follows the
    // letter (the next chunk, already there) is not read before it is pushed
    const header = 'id,entity,name,category,country,employees,turnover_usd,class_units,independent,meetings_per_year,sector';
    // (a country's first row is read the long way: each comes twice)
    const rows = [
      'a1,E1,N,sector-member,CHE,10,,1/2,true,,T',
      'a2,E2,M,exempt,CHE,,,,false,,D',
      'a3,E3,Zürich,academia,DEU,,,,true,2,R',
      'a4,E3,Zürich,academia,DEU,,,,true,2,T',
    ];
    for (const eol of ['\n', '\r\n']) {
      const bytes = Buffer.from(`${header}${eol}${rows.join(eol)}${eol}`);
      const want = parseWhole(bytes.toString('utf8'), 'last.csv', countries);
      expect(want.issues).toEqual([]);
      for (let size = 1; size <= 50; size++)
        for (const poison of [false, true]) expect(readAhead(bytes, size, 'last.csv', poison), `chunks of ${size}`).toEqual(want);
    }
  });
});

describe('Utf8Check = Utf8Stream without the text', () => {
  it('invalid and the first U+FFFD line, whatever the chunks', () => {
    fc.assert(
      fc.property(fc.array(utf8Piece, { maxLength: 20 }), fc.integer({ min: 1, max: 8 }), (pieces, size) => {
        const bytes = Buffer.concat(pieces);
        const d = new Utf8Stream();
        const c = new Utf8Check();
        let lines = 0;
        for (let i = 0; i < bytes.length; i += size) {
          const chunk = bytes.subarray(i, i + size);
          c.check(chunk, lines);
          lines += d.decode(chunk, lines).split('\n').length - 1;
        }
        d.end(lines);
        c.end(lines);
        expect(c.invalid).toBe(d.invalid);
        expect(c.replacementLine).toEqual(d.replacementLine);
        expect(c.invalid ? c.replacementLine : undefined).toEqual(oldDecode(bytes).warningLine);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});

describe('BytesTextColumn (values as byte ranges of the file, or strings)', () => {
  it('at, same, compare, hash, fnv1a and indexOf = the same on plain strings, ranges and strings mixed', () => {
    const value = fc.constantFrom('a', 'ab', 'é', 'Zürich AG', '中文 😀', '', 'x y', 'A-1', 'a ');
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.boolean()), { maxLength: 30 }), (cells) => {
        const strings = cells.map(([v]) => v);
        const bytes = Buffer.from(strings.join(','));
        const col = new BytesTextColumn([Buffer.from('zz'), bytes]);
        let at = 0;
        cells.forEach(([v, asString]) => {
          const len = Buffer.byteLength(v);
          if (asString) col.addString(v);
          else col.add(1, at, at + len);
          at += len + 1;
        });
        expect(col.length).toBe(strings.length);
        expect(col.allValues()).toEqual(strings);
        expect(col.allValues()).toEqual(strings); // the buffers' Latin-1 strings remembered
        strings.forEach((s, i) => {
          expect(col.at(i)).toBe(s);
          expect(col.isEmpty(i)).toBe(s === '');
          expect(col.hash(i)).toBe(hashBytesOf(s));
          expect(col.fnv1a(i)).toBe(hashText(s));
          strings.forEach((t, j) => {
            expect(col.same(i, j)).toBe(s === t);
            // compare: the order of the UTF-8 bytes (firstOfSame's sorted runs)
            expect(Math.sign(col.compare(i, j))).toBe(Buffer.compare(Buffer.from(s), Buffer.from(t)));
          });
        });
        for (const v of ['a', 'é', '中文 😀', '', 'nope', '\uD800']) expect(col.indexOf(v)).toBe((strings as string[]).indexOf(v));
        expect(col.at(-1)).toBeUndefined();
        expect(col.at(strings.length)).toBeUndefined();
      }),
      { numRuns: 300, seed: 17 },
    );
    // hashBytes of UTF-8 bytes = hashBytesOf of their text
    const b = Buffer.from('Zürich, 中文');
    expect(hashBytes(b, 0, b.length)).toBe(hashBytesOf('Zürich, 中文'));
  });
});

describe('the one-pass reading after a byte that is not UTF-8', () => {
  it('a stray byte in a comment leaves later rows with accented names on the one-pass reading, read right', () => {
    // read12 checked UTF-8 per chunk and, past the first invalid sequence, sent every row with
    // non-ASCII text the long way to the end of the file (red team: validate of 1M rows 2.2 s against
    // 1.5 s); now such a row's own bytes are checked
    const rows = Array.from({ length: 300 }, (_, k) => `z${k},E${k % 7},Zürich Société ${k},sector-member,T,CHE,${k % 50},,1/2,true,`);
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${HEADER}\n${rows.join('\n')}\n`)]);
    const p = new RosterParser('stray.csv', countries);
    p.pushBytes(bytes);
    const r = p.end();
    expect(r.issues).toEqual([]);
    expect(r.roster?.size).toBe(300);
    expect(r.roster?.name.at(299)).toBe('Zürich Société 299');
    expect(r.roster?.entity.at(8)).toBe('E1');
    // the first row of its country goes the long way (it is numbered there), the others not
    expect(p.longWayRows).toBe(1);
    // and a row with an invalid byte of its own still goes the long way (read as U+FFFD)
    const bad = Buffer.concat([
      Buffer.from(`${HEADER}\n${rows[0]}\nw1,E,Z`),
      Buffer.from([0xfc]),
      Buffer.from(`rich,exempt,T,CHE,,,,true,\n${rows[1]}\n`),
    ]);
    const q = new RosterParser('bad.csv', countries);
    q.pushBytes(bad);
    const s = q.end();
    expect(s.roster?.name.at(1)).toBe('Z\uFFFDrich');
    expect(q.longWayRows).toBe(2);
  });
});
