import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCHED, type BatchedList } from '../src/domain/batched-list.js';
import { BATCH, writeJsonPretty } from '../src/results/json-stream.js';

/** The run document is written in pieces (src/results/json-stream.ts): the same bytes as JSON.stringify(v, null, 2). */
const pieces = (v: unknown, flushAt?: number) => {
  let s = '';
  let calls = 0;
  writeJsonPretty(
    v,
    (t) => {
      s += t;
      calls++;
    },
    flushAt,
  );
  return { s, calls };
};

describe('writeJsonPretty = JSON.stringify(value, null, 2)', () => {
  it('on any JSON-like value, whatever the flush size', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 7 }), fc.integer({ min: 1, max: 64 }), (v, flushAt) => {
        expect(pieces(v, flushAt).s).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('with undefined, functions, NaN, -0, toJSON, typed arrays, empty containers, nested arrays', () => {
    const v = {
      a: undefined,
      f: () => 1,
      n: [Number.NaN, -0, Infinity, undefined, () => 2, null],
      d: new Date(0),
      t: { toJSON: (k: string) => ({ key: k, deep: [[1, [2, { x: 'a\nb' }]], []] }) },
      typed: new Float64Array([1.5, Number.NaN]),
      empty: [{}, [], { u: undefined }],
      s: 'quote " and \u2028 and é',
      boxed: [new Number(3), new String('x'), new Boolean(false)],
    };
    expect(pieces(v, 5).s).toBe(JSON.stringify(v, null, 2));
    expect(pieces([v, [v]], 1).s).toBe(JSON.stringify([v, [v]], null, 2));
    expect(pieces(undefined).s).toBe('');
    expect(pieces('x').s).toBe('"x"');
  });

  it('long arrays at every depth (printed in batches)', () => {
    const long = (d: number): unknown =>
      d === 0 ? Array.from({ length: BATCH + 300 }, (_, i) => ({ i, s: `x${i}` })) : { a: [long(d - 1), 1], b: long(d - 1) };
    for (let d = 0; d < 5; d++) expect(pieces(long(d), 1000).s).toBe(JSON.stringify(long(d), null, 2));
  });

  it('a long array met more than once (its text kept and repeated): at the same depth, at others, inside arrays', () => {
    const shared = Array.from({ length: 2 * BATCH + 5 }, (_, i) => ({ i, s: `x${i}`, nested: [i, { y: i / 3 }] }));
    const short = [1, 2, 3];
    const v = {
      a: shared,
      b: shared, // the same depth: repeated
      c: { d: shared, e: [shared, short], f: short }, // deeper: printed at its own depth
      g: [shared],
      h: { toJSON: () => ({ i: shared }) }, // through toJSON: not looked for, printed the usual way
    };
    for (const flushAt of [1, 1000, 1 << 20]) expect(pieces(v, flushAt).s).toBe(JSON.stringify(v, null, 2));
    expect(pieces([shared, shared, { k: shared }]).s).toBe(JSON.stringify([shared, shared, { k: shared }], null, 2));
  });

  it('a large document goes out in several writes', () => {
    const big = { list: Array.from({ length: 20_000 }, (_, i) => ({ id: `m-${i}`, fee: i * 1.5, name: 'Synthetic SME' })) };
    const r = pieces(big);
    expect(r.s).toBe(JSON.stringify(big, null, 2));
    expect(r.calls).toBeGreaterThan(1);
  });

  it("a batch's long text goes out as it is, not joined to the short pieces before it", () => {
    // 2,048 rows of ~100 characters: each batch's text (~200,000 characters) is a piece of its own;
    // joined to the "[\n" before it, it would be a rope the write must first copy (json-stream.ts PieceWriter)
    const rows = Array.from({ length: 3 * BATCH }, (_, i) => ({ id: `m-${i}`, fee: i * 1.5, name: 'Synthetic SME', note: 'x'.repeat(40) }));
    const texts: string[] = [];
    writeJsonPretty({ head: 'h', rows, tail: [1, 2] }, (t) => texts.push(t));
    expect(texts.join('')).toBe(JSON.stringify({ head: 'h', rows, tail: [1, 2] }, null, 2));
    const batch = (k: number) =>
      JSON.stringify([rows.slice(k * BATCH, (k + 1) * BATCH)], null, 2)
        .split('\n')
        .slice(2, -2)
        .join('\n');
    // the pieces: '{ "head": …, "rows": [\n', batch 0, ',\n', batch 1, ',\n', batch 2, '\n  ], "tail": … }'
    expect(texts).toHaveLength(7);
    expect([texts[1], texts[3], texts[5]]).toEqual([batch(0), batch(1), batch(2)]);
    expect(texts[0]).toBe('{\n  "head": "h",\n  "rows": [\n');
  });

  it('a batched list prints as the array its toJSON gives, a slice at a time, at any depth, met once or more', () => {
    const made: number[] = [];
    const list = (n: number): BatchedList<{ i: number; s: string }> => {
      const row = (i: number) => ({ i, s: `x${i}` });
      const slice = (a = 0, b = n) => {
        made.push(Math.max(0, Math.min(b, n) - a));
        return Array.from({ length: Math.max(0, Math.min(b, n) - a) }, (_, k) => row(a + k));
      };
      return { [BATCHED]: true, length: n, slice, rows: () => slice(), toJSON: () => slice() };
    };
    const long = list(2 * BATCH + 7);
    const v = { a: long, b: long, c: { d: { e: [list(3), list(0)], f: long } }, g: list(5) };
    const expected = JSON.stringify(v, null, 2);
    made.length = 0;
    expect(pieces(v, 1000).s).toBe(expected);
    // the long list was made BATCH rows at a time, once (its text repeated where met again at its depth)
    expect(Math.max(...made)).toBeLessThanOrEqual(BATCH);
  });
});
