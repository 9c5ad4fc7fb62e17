import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstOfSame } from '../src/roster/roster-stream.js';
import { BytesTextColumn, CodeColumn } from '../src/roster/text-column.js';

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

/** A 32-bit hash of a string for firstOfSame's tests (FNV-1a over UTF-16 code units, then mixed). */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
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

describe('BytesTextColumn growth', () => {
  it('grows past its first capacity and after reserve', () => {
    const c = new BytesTextColumn([Buffer.from('abcdefghij')]);
    for (let i = 0; i < 3000; i++) c.add(0, i % 10, 10);
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
