import { Buffer, isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, MAX_ROSTER_ISSUES, parseRoster, RosterParser } from '../src/roster/parse-roster.js';
import { completeLength, decodeUtf8, firstNonAscii, Utf8Stream } from '../src/roster/utf8-stream.js';
import { countries, ROOT, SMALL_ROSTER } from './helpers.js';
import { plainResult } from './plain-roster.js';
import { parseRoster as parseWhole } from './reference/parse-roster-whole.js';
import { utf8Piece } from './utf8-pieces.js';

/**
 * The streaming roster reader (RosterParser fed chunks, Utf8Stream decoding bytes) against the
 * whole-text reader it replaced (test/reference/parse-roster-whole.ts, the previous
 * src/roster/parse-roster.ts unchanged): same Roster column by column, same issues in the same order,
 * same invalid-UTF-8 warning line, whatever the chunk boundaries.
 */

const CHUNKS = [1, 2, 3, 7, 64, 4096];
const VALID_HEADER = 'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year';

/** What the old reader did with a file: decode it whole (invalid bytes as U+FFFD) and note the line of the first U+FFFD. */
function oldDecode(bytes: Buffer): { text: string; warningLine?: number } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const text = bytes.toString('utf8');
    const at = text.indexOf('\uFFFD');
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
    return { text, warningLine: line };
  }
}

function streamText(text: string, size: number, file: string, expectSize?: number) {
  const p = new RosterParser(file, countries);
  if (expectSize !== undefined) p.expect(expectSize);
  for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
  return plainResult(p.end());
}

function streamBytes(bytes: Buffer, size: number, file: string) {
  const p = new RosterParser(file, countries);
  const d = new Utf8Stream();
  for (let i = 0; i < bytes.length; i += size) p.push(d.decode(bytes.subarray(i, i + size), p.newlines));
  p.push(d.end(p.newlines));
  return { ...plainResult(p.end()), warningLine: d.invalid ? d.replacementLine : undefined };
}

function expectSame(bytes: Buffer, file: string, sizes = CHUNKS) {
  const old = oldDecode(bytes);
  const want = parseWhole(old.text, file, countries);
  expect(plainResult(parseRoster(old.text, file, countries))).toEqual(want);
  for (const size of sizes) {
    expect(streamText(old.text, size, file), `text in chunks of ${size}`).toEqual(want);
    const got = streamBytes(bytes, size, file);
    expect(got.warningLine, `warning line, bytes in chunks of ${size}`).toEqual(old.warningLine);
    expect({ roster: got.roster, issues: got.issues }, `bytes in chunks of ${size}`).toEqual(want);
  }
  return want;
}

const csvFiles = (dir: string) =>
  readdirSync(resolve(ROOT, dir))
    .filter((f) => f.endsWith('.csv'))
    .map((f) => join(dir, f));

describe('streaming roster reader = whole-text reader', () => {
  it('the bundled rosters and every CSV fixture, in chunks of 1, 2, 3, 7, 64 and 4096', () => {
    const files = ['data/roster-synthetic.csv', 'data/pilot-smes.csv', ...csvFiles('test/fixtures/good'), ...csvFiles('test/fixtures/bad')];
    for (const f of files) {
      const bytes = readFileSync(resolve(ROOT, f));
      // the 1- and 2-character feeds of the 1,000-row roster are slow and add nothing over the fixtures
      expectSame(bytes, f, bytes.length > 20_000 ? [3, 7, 64, 4096, 1 << 16] : CHUNKS);
    }
    // with the size announced (columns sized after the first rows), too small or too large
    const text = readFileSync(resolve(ROOT, 'data/roster-synthetic.csv'), 'utf8');
    const whole = parseWhole(text, 'r.csv', countries);
    for (const announced of [text.length, 1000, text.length * 3]) expect(streamText(text, 4096, 'r.csv', announced)).toEqual(whole);
    const synthetic = parseWhole(readFileSync(resolve(ROOT, 'data/roster-synthetic.csv'), 'utf8'), 'r', countries);
    expect(synthetic.roster?.size).toBeGreaterThan(900);
    expect(synthetic.roster?.provenance.kind).toBe('synthetic');
  });

  it('the hand-made roster, with a BOM and CRLF line ends', () => {
    const r = expectSame(Buffer.from(SMALL_ROSTER), 'small.csv');
    expect(r.roster?.size).toBe(14);
    expectSame(Buffer.from(`\uFEFF${SMALL_ROSTER.replaceAll('\n', '\r\n')}`), 'small.csv');
    // entities are numbered in order of first appearance: AC-1-T and AC-1-D share U1
    expect(Array.from(r.roster!.entityIndex.slice(9, 12))).toEqual([9, 9, 10]);
    expect(r.roster!.entityCount).toBe(13);
  });

  it('chunk boundaries inside a quoted field, a "" escape, a CRLF and a multi-byte character', () => {
    const text = [
      '\uFEFF# feesim:synthetic seed=7',
      'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year',
      'a1,E1,"Ünïcödé, ""quoted""\r\nname 中文 😀",sector-member,T,CHE,10,,1/2,true,',
      '',
      '# a comment between rows',
      '',
      'a2,E1,"x"y,associate,D,KEN,3,,,yes,2',
      'a3,,"",academia,R,DEU,,,,TRUE,',
    ].join('\r\n');
    const r = expectSame(Buffer.from(text), 'tricky.csv', [1, 2, 3, 4, 5, 7, 11, 64]);
    expect(r.issues).toEqual([]);
    expect(r.roster?.name.at(0)).toBe('Ünïcödé, "quoted"\r\nname 中文 😀');
    expect(r.roster?.name.at(1)).toBe('xy');
    expect(r.roster?.entity.at(2)).toBe('a3');
    expect(Array.from(r.roster!.line)).toEqual([3, 8, 9]); // the quoted name spans lines 3-4
    expect(r.roster?.provenance.kind).toBe('synthetic');
  });

  it('an unterminated quote, a short row and a bad row, with the problem cap', () => {
    const header = 'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year';
    const bad = Array.from({ length: MAX_ROSTER_ISSUES + 5 }, (_, k) => `b${k},E,n,nope,T,CHE,1,,,true,`);
    const text = `${header}\n${bad.join('\n')}\nshort,row\n"open,field\n`;
    const r = expectSame(Buffer.from(text), 'cap.csv', [7, 64, 4096]);
    expect(r.issues[0]!.message).toBe('unterminated quoted field');
    expect(r.issues).toHaveLength(MAX_ROSTER_ISSUES + 1);
    // kept: the quote, then 9,999 of the 10,005 bad rows; counted: 6 bad rows, the short row, the open field's row
    expect(r.issues.at(-1)!.message).toMatch(/^… and 8 more problems/);
    // duplicate ids (found after the read) interleaved with other problems of the same rows, across the cap
    const dup = Array.from({ length: 6000 }, (_, k) => `d${k % 4000},E,n,${k % 3 ? 'exempt' : 'nope'},T,CHE,,,,true,`);
    const d = expectSame(Buffer.from(`${header}\n${dup.join('\n')}\n`), 'dup.csv', [64, 4096]);
    expect(d.issues.slice(0, 2).map((i) => i.line)).toEqual([2, 5]);
    expect(d.issues.find((i) => i.line === 4002)?.message).toBe('duplicate id "d0" (first on line 2)');
    const big = Array.from({ length: MAX_ROSTER_ISSUES + 10 }, (_, k) => `x${k},E,n,nope,T,CHE,1,,,true,`);
    expectSame(Buffer.from(`${header}\n${big.join('\n')}\n${big.slice(0, 20).join('\n')}\n`), 'dup-cap.csv', [4096]);
  });

  it('generated tricky CSVs: quotes, CRLF, BOM, blank lines, comments, trailing commas, bad values', () => {
    const header = fc.constantFrom(
      'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year',
      'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year',
      'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year',
      'id,entity,name,category,sector,country,employees,class_units,independent',
      'independent,id,name,entity,class_units,employees,country,sector,category,parent_hq_country',
      'id,entity,name,category,sector,country,employees,class_units,independent,colour',
      'id,id,name,category,sector,country,employees,class_units,independent',
      'id,name,category',
      'foo,bar',
    );
    const value = fc.constantFrom(
      'T-1',
      'T-1',
      'D-2',
      '',
      ' ',
      'sector-member',
      'associate',
      'academia',
      'sme-pilot',
      'exempt',
      ' associate ',
      'Associate',
      'R',
      'T',
      'D',
      't',
      'CHE',
      'KEN',
      'USA',
      'NPL',
      'che',
      'XYZ',
      ' DEU',
      '0',
      '12',
      '250',
      '1.5',
      '-1',
      '0x10',
      '1e3',
      '1_000',
      ' 40 ',
      '1/2',
      '1/16',
      '2',
      ' 1 / 4 ',
      '1/0',
      '0/0',
      'true',
      'false',
      'TRUE',
      'yes',
      'n',
      'maybe',
      'Zürich AG',
      '中文 😀',
      'a,b',
      'say "hi"',
      'two\nlines',
      'cr\r\nlf',
      'lone\rcr',
      '#not a comment',
      '\uFFFD',
    );
    const cell = fc.tuple(value, fc.constantFrom('plain', 'quoted', 'quoted', 'broken')).map(([v, how]) => {
      if (how === 'quoted' || /[",\n\r]/.test(v)) return how === 'broken' ? `"${v}` : `"${v.replaceAll('"', '""')}"`;
      return how === 'broken' ? `${v}"x` : v;
    });
    const row = fc.array(cell, { minLength: 1, maxLength: 13 }).map((cells) => cells.join(','));
    // rows that are valid under the first header, so that whole rosters come out and are compared column by column
    const quote = (v: string) => fc.constantFrom(v, `"${v.replaceAll('"', '""')}"`, ` ${v} `);
    const validRow = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9-]{1,16}$/),
        fc.constantFrom('', 'E1', 'E2', 'Groupe "Ünï", SA'),
        fc.constantFrom('Name', 'Zürich AG', '中文 😀', 'a, b', 'two\r\nlines', 'A long organisation name, Ltd.'),
        fc.constantFrom(
          'sector-member,T,CHE,10,1/2',
          'sector-member,D,KEN,3,1/16',
          'associate,R,USA,250,',
          'academia,D,DEU,,',
          'exempt,T,CHE,,',
        ),
        fc.constantFrom('true', 'false', 'Yes', ' n '),
        fc.constantFrom('', '0', '2.5', '1000000'),
      )
      .chain(([id, entity, name, mid, ind, meetings]) =>
        fc.tuple(quote(id), quote(entity), quote(name), quote(ind), quote(meetings)).map(([a, b, c, d, e]) => {
          const [cat, sec, ctry, emp, cls] = mid.split(',');
          return [a, b, c, cat, sec, ctry, emp, '', cls, d, e].join(',');
        }),
      );
    const line = fc.oneof(
      { weight: 8, arbitrary: validRow },
      { weight: 3, arbitrary: row },
      { weight: 1, arbitrary: fc.constantFrom('', '# comment', '#feesim:synthetic seed=3', '  ', ',') },
    );
    const file = fc
      .tuple(
        fc.boolean(),
        header,
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.constantFrom('', '\n', '\r\n', '\r', '"'),
      )
      .map(([bom, h, lines, eol, end]) => `${bom ? '\uFEFF' : ''}${[h, ...lines].join(eol)}${end}`);
    let whole = 0;
    fc.assert(
      fc.property(file, fc.integer({ min: 1, max: 9 }), (text, size) => {
        const want = parseWhole(text, 'gen.csv', countries);
        if (want.roster) whole++;
        expect(streamText(text, size, 'gen.csv')).toEqual(want);
        expect(plainResult(parseRoster(text, 'gen.csv', countries))).toEqual(want);
        const got = streamBytes(Buffer.from(text), size, 'gen.csv');
        expect({ roster: got.roster, issues: got.issues }).toEqual(want);
      }),
      { numRuns: 300, seed: 12 },
    );
    // and files of valid rows only, so that whole rosters come out and are compared column by column
    const validFile = fc
      .tuple(
        fc.boolean(),
        fc.array(fc.oneof({ weight: 6, arbitrary: validRow }, fc.constantFrom('', '# note')), { minLength: 1, maxLength: 12 }),
      )
      .chain(([bom, lines]) =>
        fc
          .constantFrom('\n', '\r\n')
          .chain((eol) => fc.constantFrom('', eol).map((end) => `${bom ? '\uFEFF' : ''}${[VALID_HEADER, ...lines].join(eol)}${end}`)),
      );
    fc.assert(
      fc.property(validFile, fc.integer({ min: 1, max: 9 }), (text, size) => {
        const want = parseWhole(text, 'gen.csv', countries);
        if (want.roster) whole++;
        expect(streamText(text, size, 'gen.csv')).toEqual(want);
        const got = streamBytes(Buffer.from(text), size, 'gen.csv');
        expect({ roster: got.roster, issues: got.issues }).toEqual(want);
      }),
      { numRuns: 200, seed: 13 },
    );
    expect(whole).toBeGreaterThan(25); // the others: short random ids that repeat, or no row
  });
});

describe('blanks around a value are trimmed, inside quotes too (docs/roster-format.md, "Blanks and quotes")', () => {
  const row = (id: string, entity: string, name: string, country = 'CHE', independent = 'true') =>
    `${id},${entity},${name},academia,T,${country},,,,${independent},`;

  it('a quoted id with blanks is the id without them: the same id (a duplicate), and a blank-only id is empty', () => {
    const text = `${[VALID_HEADER, row('A1', 'E1', 'Plain'), row('" A1 "', 'E2', 'Quoted'), row('"   "', 'E3', 'Blank id')].join('\n')}\n`;
    const r = expectSame(Buffer.from(text), 'trim.csv');
    expect(r.issues.map((i) => [i.line, i.message])).toEqual([
      [3, 'duplicate id "A1" (first on line 2)'],
      [4, 'expected a non-empty id'],
    ]);
  });

  it('entity, name, country and true/false: blanks (spaces, tabs, no-break spaces) around them dropped, blanks inside kept', () => {
    const text = `${[
      VALID_HEADER,
      row('A1', 'E1', 'Plain'),
      row('"\tA2 "', '"  E1 "', '"  Big  Corp\u00a0\t"', '" CHE "', ' true '),
      row('A3', ' E1', ' Zürich AG '),
    ].join('\n')}\n`;
    const r = expectSame(Buffer.from(text), 'trim.csv');
    expect(r.issues).toEqual([]);
    const roster = r.roster!;
    expect(roster.id).toEqual(['A1', 'A2', 'A3']);
    expect(roster.entity).toEqual(['E1', 'E1', 'E1']);
    expect(Array.from(roster.entityIndex)).toEqual([0, 0, 0]); // one organisation
    expect(roster.name).toEqual(['Plain', 'Big  Corp', 'Zürich AG']);
    expect(roster.country).toEqual(['CHE', 'CHE', 'CHE']);
    expect(Array.from(roster.independent)).toEqual([1, 1, 1]);
  });
});

describe('a file without a header row says what it holds', () => {
  it('empty, only blank lines, only comment lines (with blank lines): the same from the reference and in chunks', () => {
    const cases: [string, string][] = [
      ['', 'an empty file'],
      ['\uFEFF', 'an empty file'],
      ['\n\r\n\n', 'only blank lines'],
      ['# one comment', 'only 1 comment line'],
      ['\uFEFF# feesim:synthetic seed=3\r\n# two\r\n', 'only 2 comment lines'],
      ['# a\n\n# b\n\n', 'only 2 comment lines and blank lines'],
    ];
    for (const [text, found] of cases) {
      const r = expectSame(Buffer.from(text), 'c.csv', [1, 2, 3, 64]);
      expect(r.issues).toEqual([
        {
          file: 'c.csv',
          line: 1,
          col: 1,
          path: 'header',
          message: `expected a header row with columns id, entity, name, category, sector, country, employees, class_units, independent, found ${found}`,
        },
      ]);
    }
  });
});

describe('a comment line after the header shaped like a row (red team, session 6)', () => {
  it('is warned of at its line, at every chunk size; the roster is read all the same; comments with fewer fields are not', () => {
    const text = [
      VALID_HEADER,
      'T-1,E1,A,sector-member,T,CHE,10,,1/2,true,',
      '# a note, with one comma',
      '#T-2,E2,B,sector-member,T,CHE,10,,1/2,true,', // line 4: a membership whose id starts with #
      '"#T-3",E3,C,sector-member,T,CHE,10,,1/2,true,', // quoted: read
      '#T-4,E4,D,sector-member,T,CHE,10,,1/2,true,',
    ].join('\n');
    for (const size of [1, 3, 64, text.length]) {
      const p = new RosterParser('h.csv', countries);
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += size) p.pushBytes(bytes.subarray(i, i + size));
      const r = p.end();
      expect(r.issues).toEqual([]);
      expect(r.roster!.size).toBe(2);
      expect([r.roster!.id.at(0), r.roster!.id.at(1)]).toEqual(['T-1', '#T-3']);
      expect(r.warnings).toEqual([
        {
          file: 'h.csv',
          line: 4,
          col: 1,
          path: 'line 4',
          message:
            '2 lines after the header (lines 4, 6) are read as comments (they start with #), though they hold a row\'s fields: a membership whose id starts with # is read only when the id is quoted ("#…")',
        },
      ]);
    }
    // before the header, and short ones after it: comments, no warning
    const quiet = new RosterParser('q.csv', countries);
    quiet.push(`# a, b, c, d, e, f, g, h, i, j, k\n${VALID_HEADER}\nT-1,E1,A,sector-member,T,CHE,10,,1/2,true,\n# x, y\n`);
    expect(quiet.end()).toMatchObject({ issues: [], warnings: [] });
  });
});

describe('record-length limit (bytes of UTF-8; checked as a record or comment line ends and while one grows)', () => {
  const LIMIT = 200;
  /** A row of exactly `bytes` bytes without its line end, its name filled with `fill` (2-byte é by default). */
  function rowOf(id: string, bytes: number, fill = 'é'): string {
    const bare = `${id},,,academia,T,CHE,,,,true,`;
    let name = '';
    while (Buffer.byteLength(bare + name + fill) <= bytes) name += fill;
    while (Buffer.byteLength(bare + name) < bytes) name += 'x';
    const row = `${id},,${name},academia,T,CHE,,,,true,`;
    expect(Buffer.byteLength(row)).toBe(bytes);
    return row;
  }
  const good = (k: number) => `G-${k},E-${k},Name ${k},academia,T,CHE,,,,true,`;

  /** The parse of `bytes` pushed in chunks of `size` (the whole at once when size ≥ the length). */
  function parseIn(bytes: Buffer, size: number, limit = LIMIT) {
    const p = new RosterParser('long.csv', countries, { maxRecordBytes: limit });
    for (let i = 0; i < bytes.length; i += size) p.pushBytes(bytes.subarray(i, i + size));
    return plainResult(p.end());
  }

  /** The same outcome whatever the reads: every chunk size from 1 to the whole file. */
  function sameAtEveryChunkSize(text: string, limit = LIMIT) {
    const bytes = Buffer.from(text);
    const whole = parseIn(bytes, bytes.length, limit);
    for (let size = 1; size < bytes.length; size++) expect(parseIn(bytes, size, limit), `chunks of ${size}`).toEqual(whole);
    return whole;
  }

  const tooLong = (line: number, kind = 'row') => ({
    file: 'long.csv',
    line,
    col: 1,
    path: `${kind} ${line}`,
    // the quote hint for records only: a comment line has no quotes (red team, session 6)
    message: `expected a line or record of at most 200 bytes of UTF-8 (without its line end), found a longer one${kind === 'row' ? ' (an unterminated quoted field?)' : ''}; the rest of the file was not read`,
  });

  it('a record of exactly the limit passes (LF or CRLF); one byte more is reported at its line, however the bytes arrive', () => {
    for (const eol of ['\n', '\r\n']) {
      const ok = sameAtEveryChunkSize([VALID_HEADER, good(1), rowOf('L-1', LIMIT), good(2), ''].join(eol));
      expect(ok.issues).toEqual([]);
      expect(ok.roster?.size).toBe(3);
      const over = sameAtEveryChunkSize([VALID_HEADER, good(1), rowOf('L-1', LIMIT + 1), good(2), ''].join(eol));
      expect(over.issues).toEqual([tooLong(3)]);
      // ASCII only, and a last record without a line end
      expect(sameAtEveryChunkSize([VALID_HEADER, good(1), rowOf('L-1', LIMIT + 1, 'a')].join(eol)).issues).toEqual([tooLong(3)]);
      expect(sameAtEveryChunkSize([VALID_HEADER, good(1), rowOf('L-1', LIMIT, 'a')].join(eol)).issues).toEqual([]);
    }
  });

  it('a quoted record over several lines, a comment line, an unterminated quote and the header: reported where they start', () => {
    const quoted = `"Q-1",,"${'two\nlines '.repeat(20)}",academia,T,CHE,,,,true,`;
    expect(Buffer.byteLength(quoted)).toBeGreaterThan(LIMIT);
    expect(sameAtEveryChunkSize([VALID_HEADER, good(1), quoted, good(2), ''].join('\n')).issues).toEqual([tooLong(3)]);
    // a comment line over the limit: before the header it is the only problem
    const comment = `# ${'é'.repeat(LIMIT / 2)}`;
    expect(sameAtEveryChunkSize([comment, VALID_HEADER, good(1), ''].join('\n')).issues).toEqual([tooLong(1, 'line')]);
    expect(sameAtEveryChunkSize([`# ${'c'.repeat(LIMIT - 2)}`, VALID_HEADER, good(1), ''].join('\n')).issues).toEqual([]);
    // an unterminated quote running to the end of the file: too long, not "unterminated" (as when read in pieces)
    const open = `${VALID_HEADER}\n${good(1)}\n"open,${'x'.repeat(LIMIT)}\n${good(2)}\n`;
    expect(sameAtEveryChunkSize(open).issues).toEqual([tooLong(3)]);
    const short = sameAtEveryChunkSize(`${VALID_HEADER}\n${good(1)}\n"open,${'x'.repeat(20)}\n`);
    expect(short.issues[0]!.message).toBe('unterminated quoted field');
    // the header itself over a smaller limit: the only problem, at line 1
    const header = sameAtEveryChunkSize(`${VALID_HEADER}\n${good(1)}\n`, 100);
    expect(header.issues).toHaveLength(1);
    expect(header.issues[0]).toMatchObject({ line: 1, path: 'header' });
    expect(header.issues[0]!.message).toContain('at most 100 bytes of UTF-8');
  });

  it('the real limit, 64 MiB: a complete record of multi-byte text just over it, in one read, is reported', () => {
    const head = Buffer.from(`${VALID_HEADER}\n${good(1)}\nBIG-1,,`);
    const tail = Buffer.from(`,academia,T,CHE,,,,true,\n${good(2)}\n`);
    // 7 + 24 bytes around the name, which is 32 Mi - 15 characters of two bytes: the record is 64 MiB + 1 byte
    const name = Buffer.alloc(MAX_RECORD_BYTES + 1 - 7 - 24, 'é');
    const bytes = Buffer.concat([head, name, tail]);
    const p = new RosterParser('big.csv', countries);
    p.expect(bytes.length);
    p.pushBytes(bytes);
    const { issues } = p.end();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'big.csv', line: 3, path: 'row 3' });
    expect(issues[0]!.message).toContain('at most 67,108,864 bytes (64 MiB) of UTF-8');
  });
});

describe('Utf8Stream', () => {
  it('decodes bytes in chunks of any size as the whole would be decoded, invalid bytes included', () => {
    fc.assert(
      fc.property(fc.array(utf8Piece, { maxLength: 20 }), fc.integer({ min: 1, max: 8 }), (pieces, size) => {
        const bytes = Buffer.concat(pieces);
        const d = new Utf8Stream();
        let text = '';
        let lines = 0;
        for (let i = 0; i < bytes.length; i += size) {
          const t = d.decode(bytes.subarray(i, i + size), lines);
          lines += t.split('\n').length - 1;
          text += t;
        }
        text += d.end(lines);
        expect(text).toBe(bytes.toString('utf8'));
        expect(d.invalid).toBe(!isUtf8(bytes));
        expect(d.invalid ? d.replacementLine : undefined).toEqual(oldDecode(bytes).warningLine);
      }),
      { numRuns: 1000, seed: 5 },
    );
  });

  it('decodeUtf8 (ASCII runs as Latin-1, the rest through the UTF-8 decoder) = Buffer#toString', () => {
    const bytes = fc.array(
      fc.oneof(
        fc.uint8Array({ maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 20 }).map((t) => new Uint8Array(Buffer.from(t))),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(bytes, fc.nat(3), (parts, offset) => {
        // at any alignment of the bytes in their buffer, since they are read four at a time
        const whole = Buffer.concat([Buffer.alloc(offset), ...parts]).subarray(offset);
        expect(decodeUtf8(whole)).toBe(whole.toString('utf8'));
        const first = whole.findIndex((x) => x >= 0x80);
        expect(firstNonAscii(whole, 0)).toBe(first < 0 ? whole.length : first);
      }),
      { numRuns: 1000, seed: 9 },
    );
    // more than 64 runs of non-ASCII bytes: decoded whole
    const many = Buffer.from('é,'.repeat(100));
    expect(decodeUtf8(many)).toBe('é,'.repeat(100));
  });

  it('keeps a character cut at the end of a chunk for the next one', () => {
    expect(completeLength(Buffer.from('aé').subarray(0, 2))).toBe(1);
    expect(completeLength(Buffer.from('a😀').subarray(0, 4))).toBe(1);
    expect(completeLength(Buffer.from('a😀'))).toBe(5);
    expect(completeLength(Buffer.from([0x41, 0x80]))).toBe(2);
  });
});
