import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashText } from '../src/engine/random/streams.js';
import { firstOfSame } from '../src/roster/roster-stream.js';
import { CodeColumn, hashOf, hashRange, SlicedTextColumn } from '../src/roster/text-column.js';

/** The first row with each row's string, by a Map (the obvious method). */
function firstByMap(strings: string[], samePrevious?: Uint8Array): Int32Array {
  const seen = new Map<string, number>();
  const first = new Int32Array(strings.length);
  strings.forEach((s, i) => {
    if (samePrevious?.[i]) first[i] = first[i - 1]!;
    else {
      if (!seen.has(s)) seen.set(s, i);
      first[i] = seen.get(s)!;
    }
  });
  return first;
}

const sameOf = (strings: string[]) => ({ same: (i: number, j: number) => strings[i] === strings[j] });

describe('firstOfSame (radix sort by hash, then strings compared within a hash)', () => {
  it('= a Map of first rows, with real hashes, with colliding hashes and with rows marked as the previous row', () => {
    const strings = fc.array(fc.constantFrom('a', 'b', 'c', 'dd', 'é', '', 'a '), { maxLength: 60 });
    fc.assert(
      fc.property(strings, fc.constantFrom('real', 'one', 'few', 'high'), fc.boolean(), (xs, hashing, marks) => {
        const n = xs.length;
        // hashes that collide: all equal; a few values; differing only in the high bits (the last radix pass)
        const h = Int32Array.from(xs, (s) =>
          hashing === 'real' ? hashOf(s) : hashing === 'one' ? 7 : hashing === 'few' ? hashOf(s) & 3 : (hashOf(s) & 3) << 30,
        );
        const same = marks ? Uint8Array.from(xs, (s, i) => (i > 0 && xs[i - 1] === s ? 1 : 0)) : undefined;
        expect(Array.from(firstOfSame(h, sameOf(xs), n, same))).toEqual(Array.from(firstByMap(xs, same)));
      }),
      { numRuns: 500, seed: 21 },
    );
  });

  it('100,000 rows of 1,000 distinct strings in shuffled order: each row points to the first of its string', () => {
    const n = 100_000;
    const xs = Array.from({ length: n }, (_, i) => `E-${(i * 7919) % 1000}`);
    const got = firstOfSame(Int32Array.from(xs, hashOf), sameOf(xs), n);
    // rows 0 … 999 hold the 1,000 strings once each (7919 is prime to 1000); row i repeats row i mod 1000
    for (let i = 0; i < n; i += 997) expect(got[i]).toBe(i % 1000);
  });
});

describe('SlicedTextColumn', () => {
  it('holds ranges and strings; at, same, is, indexOf, hash and lengthAt agree with the strings', () => {
    const text = 'id-1,Acme,id-2,Acme, x ';
    const c = new SlicedTextColumn();
    c.add(text, 0, 4); // id-1
    c.add(text, 5, 9); // Acme
    c.addString('Acme');
    c.add('other text id-1', 11, 15); // id-1, in a second text
    c.addSameAs(c, 2);
    c.add(text, 9, 9); // ''
    const values = ['id-1', 'Acme', 'Acme', 'id-1', 'Acme', ''];
    expect(c.length).toBe(6);
    expect(Array.from({ length: 6 }, (_, i) => c.at(i))).toEqual(values);
    expect(c.at(6)).toBeUndefined();
    expect(c.at(-1)).toBeUndefined();
    for (let i = 0; i < 6; i++) {
      expect(c.hash(i)).toBe(hashOf(values[i]!));
      expect(c.fnv1a(i)).toBe(hashText(values[i]!)); // the member key of a population (engine/population.ts)
      expect(c.lengthAt(i)).toBe(values[i]!.length);
      for (let j = 0; j < 6; j++) expect(c.same(i, j)).toBe(values[i] === values[j]);
    }
    expect(c.indexOf('Acme')).toBe(1);
    expect(c.indexOf('id-1')).toBe(0);
    expect(c.indexOf('')).toBe(5);
    expect(c.indexOf('Acm')).toBe(-1);
    expect(hashRange(text, 5, 9)).toBe(hashOf('Acme'));
  });

  it('grows past its first capacity and after reserve', () => {
    const c = new SlicedTextColumn();
    const text = 'abcdefghij';
    for (let i = 0; i < 3000; i++) c.add(text, i % 10, 10);
    c.reserve(10_000);
    for (let i = 0; i < 3000; i++) c.addString(String(i));
    expect(c.length).toBe(6000);
    expect(c.at(2999)).toBe('j');
    expect(c.at(1234)).toBe('efghij');
    expect(c.at(5999)).toBe('2999');
  });
});

describe('CodeColumn', () => {
  it('= the array of its values: at, indexOf, numbers shared by value, growth past its first capacity', () => {
    const c = new CodeColumn();
    const values = Array.from({ length: 5000 }, (_, i) => ['CHE', 'KEN', '', 'USA'][(i * 7) % 4]!);
    for (const v of values) c.add(v);
    expect(c.length).toBe(5000);
    expect(Array.from({ length: 5000 }, (_, i) => c.at(i))).toEqual(values);
    for (const v of ['CHE', 'KEN', '', 'USA', 'FRA']) expect(c.indexOf(v)).toBe(values.indexOf(v));
    expect(c.numberOf('KEN')).toBe(c.numberOf('KEN'));
    expect(c.at(5000)).toBeUndefined();
  });
});

describe('SlicedTextColumn.fnv1a = hashText of the value (the per-member key of the Monte Carlo draws)', () => {
  it('on random strings, as ranges and as strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ maxLength: 6 }), (v, pad) => {
        const c = new SlicedTextColumn();
        c.add(`${pad}${v}${pad}`, pad.length, pad.length + v.length);
        c.addString(v);
        expect(c.fnv1a(0)).toBe(hashText(v));
        expect(c.fnv1a(1)).toBe(hashText(v));
      }),
      { numRuns: 300, seed: 31 },
    );
  });
});
