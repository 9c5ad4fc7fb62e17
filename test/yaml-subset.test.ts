// The subset reader against the `yaml` library (the second method): on every shipped YAML file, on
// thousands of mutations of them, on tricky scalars and on --set values. Whenever the library reports
// an error or a warning the reader must decline; whenever the reader accepts, its value must be the
// library's, and the line and column it gives a top-level value must be the library's.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LineCounter, parse, parseDocument } from 'yaml';
import { locate, parseYaml, type YamlSource } from '../src/scenario/yaml-source.js';
import { readYamlInlineValue, readYamlSubset, resolvePlain } from '../src/scenario/yaml-subset.js';
import { ROOT } from './helpers.js';

function library(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const ok = doc.errors.length === 0 && doc.warnings.length === 0;
  let value: unknown;
  let threw = false;
  try {
    value = ok ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  } catch {
    threw = true;
  }
  return { doc, lines, ok: ok && !threw, value };
}

/** The reader declines, or agrees with the library; it never accepts what the library rejects. */
function expectAgrees(text: string): 'accepted' | 'declined' {
  const lib = library(text);
  const mine = readYamlSubset(text);
  if (!mine) return 'declined';
  expect(lib.ok, `the library rejects what the reader accepted:\n${text}`).toBe(true);
  expect(mine.value, text).toStrictEqual(lib.value);
  const source: YamlSource = { file: 'f', doc: lib.doc, lines: lib.lines, value: lib.value };
  const subsetSource = parseYaml(text, 'f').source!;
  expect(subsetSource.subset).toBeDefined();
  for (const key of mine.topValueOffsets.keys()) expect(locate(subsetSource, [key]), `${key} in\n${text}`).toEqual(locate(source, [key]));
  return 'accepted';
}

const shipped = [
  ...readdirSync(join(ROOT, 'scenarios')).map((f) => join(ROOT, 'scenarios', f)),
  ...readdirSync(join(ROOT, 'data'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(ROOT, 'data', f)),
].filter((f) => f.endsWith('.yaml'));

describe('the YAML subset reader', () => {
  test('the example in its documentation', () => {
    expect(readYamlSubset('a: 1\nb: [x, "y z"]  # note\n')?.value).toStrictEqual({ a: 1, b: ['x', 'y z'] });
    expect(readYamlSubset('a: &anchor 1\n')).toBeUndefined();
  });

  test('reads every shipped scenario and data file, to the library value and locations', () => {
    expect(shipped.length).toBeGreaterThan(10);
    for (const f of shipped) expect(expectAgrees(readFileSync(f, 'utf8')), f).toBe('accepted');
  });

  test('block structures: nested maps, sequences at and below their key, compact maps in items, empty values', () => {
    const text = [
      'a:',
      '  b: 1',
      '  c:',
      '    - x',
      '    - { k: v }',
      '    -',
      '    - id: one',
      '      n: 2',
      '    - id: two',
      'd:',
      '- 1',
      '- -2.5e3',
      'e:',
      'f: "q # not a comment"   # a comment',
      "g: 'it''s'",
      'h: [a b, "c", [], {}]',
      '2020: year',
    ].join('\n');
    expect(expectAgrees(text)).toBe('accepted');
    expect(readYamlSubset(text)!.value).toStrictEqual({
      a: { b: 1, c: ['x', { k: 'v' }, null, { id: 'one', n: 2 }, { id: 'two' }] },
      d: [1, -2500],
      e: null,
      f: 'q # not a comment',
      g: "it's",
      h: ['a b', 'c', [], {}],
      2020: 'year',
    });
  });

  test('plain scalars resolve as the core schema does', () => {
    const scalars = [
      '~',
      'null',
      'Null',
      'NULL',
      'nULL',
      'true',
      'True',
      'TRUE',
      'tRUE',
      'false',
      'no',
      'yes',
      'on',
      '0',
      '-0',
      '+7',
      '007',
      '0o17',
      '0o8',
      '0x1F',
      '0X1F',
      '0xg',
      '1_000',
      '12345678901234567890',
      '.5',
      '-.5',
      '5.',
      '1e3',
      '1E-3',
      '-1.5e+3',
      '.inf',
      '-.Inf',
      '+.INF',
      '.nan',
      '.NaN',
      '.NAN',
      'nan',
      'inf',
      '1.0',
      '3.14159',
      '../data/x.csv',
      'a b c',
      'a#b',
      'x:y',
      'PP-18 (§5.1), a, b',
      '-x',
      '?x',
      ':x',
      'é',
      '0.0078125',
      '2018-10-29',
      '1:30',
    ];
    for (const s of scalars) {
      expect(resolvePlain(s), s).toStrictEqual(parse(`k: ${s}`).k);
      expectAgrees(`k: ${s}\n`);
    }
  });

  test('declines what it does not read, and never accepts what the library rejects', () => {
    const declined = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: !foo 1\n',
      'a: |\n  text\n',
      'a: >\n  text\n',
      'a: "x\\ty"\n',
      'a: b\n  c\n',
      'a: "multi\n  line"\n',
      'a: [1,\n  2]\n',
      '---\na: 1\n',
      'a: 1\n...\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\na: 2\n',
      '? a\n: 1\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      '__proto__: 1\n',
      'a: { constructor: 1 }\n',
      '<<: { a: 1 }\n',
      'null: 1\n',
      'true: 1\n',
      '"a": 1\n',
      'a b: 1\n',
      'a : 1\n',
      'a:b\n',
      '- 1\n- 2\n',
      'just text\n',
      '  a: 1\n',
      '',
      '# only a comment\n',
      'a: b: c\n',
      'a: [1, 2,]\n',
      'a: { b }\n',
      'a: [1, 2] x\n',
      'a: - b\n',
      'a:\n  - - 1\n',
      'a: @b\n',
      'a: `b\n',
      'a: %b\n',
    ];
    for (const text of declined) expect(expectAgrees(text), JSON.stringify(text)).toBe('declined');
  });

  test('thousands of mutations of the shipped files: declined, or the same value and locations as the library', () => {
    // a small deterministic generator (xorshift32), so that a failure is reproducible
    let state = 0x9e3779b9;
    const rand = (n: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const pieces = [':', ' ', '  ', '#', '-', '- ', "'", '"', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '?', '%', '@', '`'];
    pieces.push('\t', '\\', '0', '.', 'e', 'x', '~', '\n', '\n  ', ': ', ' #', 'null', '0x', '.inf', '__proto__');
    const texts = shipped.map((f) => readFileSync(f, 'utf8'));
    let accepted = 0;
    let declined = 0;
    for (let n = 0; n < 2500; n++) {
      const text = texts[rand(texts.length)]!;
      const lines = text.split('\n');
      // mutate a window of a few lines (the library is slow on whole files thousands of times)
      const from = rand(lines.length);
      const window = lines.slice(from, from + 8);
      const k = rand(window.length);
      const line = window[k]!;
      const at = rand(line.length + 1);
      switch (rand(5)) {
        case 0:
          window[k] = line.slice(0, at) + pieces[rand(pieces.length)] + line.slice(at);
          break;
        case 1:
          window[k] = line.slice(0, at) + line.slice(at + 1 + rand(3));
          break;
        case 2:
          window.splice(k, 0, line);
          break;
        case 3:
          window[k] = ' '.repeat(rand(5)) + line.trimStart();
          break;
        default:
          window[k] = line.slice(0, at) + pieces[rand(pieces.length)] + pieces[rand(pieces.length)] + line.slice(at);
      }
      // the window as a document of its own, re-indented to the left edge
      const indent = Math.min(...window.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
      const doc = window.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
      if (expectAgrees(doc) === 'accepted') accepted++;
      else declined++;
    }
    // both sides exercised: most windows stay in the subset, many mutations leave it
    expect(accepted).toBeGreaterThan(500);
    expect(declined).toBeGreaterThan(300);
  });

  test('deep nesting is left to the library (which reports its own limit), never a crash', () => {
    for (const d of [65, 900, 5000]) {
      expect(readYamlSubset(`x: ${'['.repeat(d)}${']'.repeat(d)}\n`), `flow ${d}`).toBeUndefined();
      expect(readYamlSubset(`x: ${'{a: '.repeat(d)}1${'}'.repeat(d)}\n`), `flow map ${d}`).toBeUndefined();
      expect(readYamlInlineValue(`${'['.repeat(d)}${']'.repeat(d)}`), `--set ${d}`).toBeUndefined();
      const block = ['x:', ...Array.from({ length: d }, (_, i) => `${' '.repeat(i + 1)}a:`)].join('\n');
      expect(readYamlSubset(block), `block ${d}`).toBeUndefined();
    }
    // within the limit, read as the library reads it
    expect(expectAgrees(`x: ${'['.repeat(60)}${']'.repeat(60)}\n`)).toBe('accepted');
    expect(expectAgrees(['x:', ...Array.from({ length: 60 }, (_, i) => `${' '.repeat(i + 1)}a:`)].join('\n'))).toBe('accepted');
  });

  test('long runs of spaces inside a value: the value the library gives (a linear trim; the red team found a quadratic one)', () => {
    const spaces = ' '.repeat(100_000);
    for (const text of [`a: x${spaces}y\n`, `a: [x${spaces}y, z]\n`, `a: x${spaces}\n`]) expect(expectAgrees(text)).toBe('accepted');
    expect(readYamlInlineValue(`x${spaces}y`)).toEqual({ value: `x${spaces}y` });
  });

  test('--set values: the library value, or declined', () => {
    const values = [
      '300',
      ' 300',
      '300 # c',
      '"ends 2020"',
      "'x'",
      '[1, 2]',
      '{ dist: pert, min: 0, mode: 1, max: 2 }',
      'null',
      '~',
      'true',
      '0x10',
      '1e3',
      '.inf',
      'a: 1',
      '- a',
      '',
      ' ',
      '#c',
      'text with spaces',
      '"a\\nb"',
      '[1,',
      '&a 1',
      '!!str 5',
      '300 x',
    ];
    for (const v of values) {
      const mine = readYamlInlineValue(v);
      let lib: unknown;
      let libOk = true;
      try {
        const d = parseDocument(v);
        libOk = d.errors.length === 0 && d.warnings.length === 0;
        lib = parse(v);
      } catch {
        libOk = false;
      }
      if (mine) {
        expect(libOk, v).toBe(true);
        expect(mine.value, v).toStrictEqual(lib);
      }
    }
    // document markers: `--- a` is "a" and `...` is null to the library (found by the red team)
    for (const v of ['---', '--- ', '---  #c', '...', '... # c', '--- a', '--- [1]', '... a', '--- |x'])
      expect(readYamlInlineValue(v), v).toBeUndefined();
    expect(readYamlInlineValue(' ---')).toEqual({ value: '---' }); // with a space before it, text (as the library)
    expect(readYamlInlineValue('300')).toEqual({ value: 300 });
    expect(readYamlInlineValue('a: 1')).toBeUndefined();
  });
});
