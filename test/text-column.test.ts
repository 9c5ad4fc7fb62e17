import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstOfSame, sameAsPrevious } from '../src/roster/roster-stream.js';
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

/** The strings as firstOfSame reads them, counting its comparisons (`same` and `compare` calls). */
function sameOf(strings: string[]) {
  const counted = {
    calls: 0,
    same: (i: number, j: number) => {
      counted.calls++;
      return strings[i] === strings[j];
    },
    compare: (i: number, j: number) => {
      counted.calls++;
      const a = strings[i]!;
      const b = strings[j]!;
      return a < b ? -1 : a > b ? 1 : 0;
    },
  };
  return counted;
}

/**
 * FNV-1a over bytes, as the roster reader hashes ids (hashBytes before its final mixing, which is a
 * bijection of the 32 bits and so keeps collisions), from the state `h`.
 */
function fnvBytes(s: string, h = 0x811c9dc5): number {
  for (const c of Buffer.from(s, 'latin1')) h = Math.imul(h ^ c, 0x01000193);
  return h >>> 0;
}

/**
 * 2^k distinct ASCII strings with one 32-bit FNV-1a hash: k steps, each a pair of 6-letter blocks that
 * take the hash state so far to the same next state (a birthday search over blocks drawn by a fixed
 * sequence), so that every choice of one block per step ends in the same state.
 */
function collidingIds(k: number): string[] {
  const pairs: [string, string][] = [];
  let h = 0x811c9dc5;
  let x = 1;
  for (let step = 0; step < k; step++) {
    const seen = new Map<number, string>();
    for (;;) {
      let b = '';
      for (let d = 0; d < 6; d++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        b += String.fromCharCode(97 + ((x >>> 16) % 26));
      }
      const next = fnvBytes(b, h);
      const o = seen.get(next);
      if (o !== undefined && o !== b) {
        pairs.push([o, b]);
        h = next;
        break;
      }
      seen.set(next, b);
    }
  }
  return Array.from({ length: 1 << k }, (_, m) => pairs.map((p, s) => p[(m >> s) & 1]).join(''));
}

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

  it('= a Map of first rows when many distinct strings share one hash, and sorts such a run instead of comparing each pair', () => {
    // every hash equal (a hook no real hash needs): runs longer than the comparison budget are sorted
    const strings = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é', ' '), maxLength: 4 }), { maxLength: 400 });
    fc.assert(
      fc.property(strings, fc.constantFrom('one', 'two', 'high'), fc.boolean(), (xs, hashing, marks) => {
        const n = xs.length;
        const h = Int32Array.from(xs, (s) => (hashing === 'one' ? 7 : hashing === 'two' ? hashOf(s) & 1 : (hashOf(s) & 1) << 31));
        const same = marks ? Uint8Array.from(xs, (s, i) => (i > 0 && xs[i - 1] === s ? 1 : 0)) : undefined;
        expect(Array.from(firstOfSame(h, sameOf(xs), n, same))).toEqual(Array.from(firstByMap(xs, same)));
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('4,096 ids crafted to share one FNV-1a hash, each twice: the Map answer, in O(n log n) comparisons', () => {
    const ids = collidingIds(12);
    expect(new Set(ids).size).toBe(4096);
    expect(new Set(ids.map((s) => fnvBytes(s))).size).toBe(1);
    // the ids, then the same ids again in another order (duplicates, as a roster's entities repeat)
    const xs = [...ids, ...ids.map((_, i) => ids[(i * 1031) % 4096]!)];
    const n = xs.length;
    const strings = sameOf(xs);
    const got = firstOfSame(
      Int32Array.from(xs, (s) => fnvBytes(s) | 0),
      strings,
      n,
    );
    expect(Array.from(got)).toEqual(Array.from(firstByMap(xs)));
    // one run of n rows: the budget spent before sorting (RUN_WORK 8 per row + 64), the sort's
    // comparisons (a merge sort: at most n·⌈log2 n⌉) and one pass over the sorted run
    const bound = 8 * n + 64 + n * Math.ceil(Math.log2(n)) + n;
    expect(strings.calls).toBeLessThanOrEqual(bound);
    // comparing each row with every earlier first of its string took n²/4 ≈ 16.8 million comparisons
    expect(bound).toBeLessThan(400_000);
  });

  it('sameAsPrevious marks exactly the rows whose string is the one of the row before, whatever the hashes', () => {
    const strings = fc.array(fc.constantFrom('a', 'b', 'é', '', 'a '), { maxLength: 60 });
    fc.assert(
      fc.property(strings, fc.constantFrom('real', 'one', 'few'), (xs, hashing) => {
        const h = Int32Array.from(xs, (s) => (hashing === 'real' ? hashOf(s) : hashing === 'one' ? 7 : hashOf(s) & 3));
        const want = Uint8Array.from(xs, (s, i) => (i > 0 && xs[i - 1] === s ? 1 : 0));
        expect(Array.from(sameAsPrevious(h, sameOf(xs), xs.length))).toEqual(Array.from(want));
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it('a million rows, ids each once but a few repeated far apart, and entities in runs: the Map answer', () => {
    // firstOfSame sorts only the rows whose hash shares a slot of its bit table with another row's: the
    // repeats (rows 999,999 and 500,000 repeat rows 3 and 7) must be among them, with their first rows
    const n = 1_000_000;
    const ids = Array.from({ length: n }, (_, i) => `D-${i}`);
    ids[n - 1] = ids[3]!;
    ids[500_000] = ids[7]!;
    const got = firstOfSame(Int32Array.from(ids, hashOf), sameOf(ids), n);
    expect(Array.from(got)).toEqual(Array.from(firstByMap(ids)));
    const entities = Array.from({ length: n }, (_, i) => `E-${Math.floor(i / 3) % 100_000}`);
    const h = Int32Array.from(entities, hashOf);
    const marks = sameAsPrevious(h, sameOf(entities), n);
    expect(Array.from(firstOfSame(h, sameOf(entities), n, marks))).toEqual(Array.from(firstByMap(entities, marks)));
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
