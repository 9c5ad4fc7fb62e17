import fc from 'fast-check';
import { expect, test } from 'vitest';
import { compareText, textComparator } from '../src/domain/compare-text.js';
import { formatGrouped } from '../src/domain/number-format.js';

// formatGrouped must print exactly what Intl.NumberFormat('en-GB', { maximumFractionDigits }) prints.
const intl = (x: number, f: number) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: f }).format(x);

test('hand-picked values: grouping, trailing zeros, halves, negative zero', () => {
  const cases: [number, number][] = [
    [0, 0],
    [-0, 0],
    [-0.0001, 3],
    [0.0625, 3],
    [-0.0625, 3],
    [2.5, 0],
    [-2.5, 0],
    [1234567.891, 2],
    [999.9996, 3],
    [0.0996, 2],
    [1.005, 2],
    [0.000123, 5],
    [999999.5, 0],
    [1e20, 0],
    [1e21, 0],
    [123.1, 10],
    [Number.NaN, 0],
    [Infinity, 3],
    [-Infinity, 0],
  ];
  for (const [x, f] of cases) expect(formatGrouped(x, f), `${x} ${f}`).toBe(intl(x, f));
  expect(formatGrouped(1234.5678)).toBe('1,234.568');
});

test('random doubles at every precision 0–10 print as Intl does', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, min: -1e19, max: 1e19 }), fc.integer({ min: 0, max: 10 }), (x, f) => {
      expect(formatGrouped(x, f)).toBe(intl(x, f));
    }),
    { numRuns: 20_000 },
  );
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 8 }), (n, e, f) => {
      const x = n / 10 ** e; // decimals with few digits, ties included
      expect(formatGrouped(x, f)).toBe(intl(x, f));
    }),
    { numRuns: 20_000 },
  );
});

test('whole numbers (the shortcut through String) print as Intl does, at every precision, up to 1e21 and past 2^53', () => {
  const picked = [1, -1, 999, 1000, -1000, 2 ** 53, 2 ** 53 + 2, -(2 ** 60), 1e20, 999_999_999_999_999_900_000];
  for (const x of picked) for (const f of [0, 1, 3, 20]) expect(formatGrouped(x, f), `${x} ${f}`).toBe(intl(x, f));
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.double({ noNaN: true, min: -1e21, max: 1e21 }).map((x) => Math.trunc(x)),
      ),
      fc.integer({ min: 0, max: 20 }),
      (x, f) => {
        expect(formatGrouped(x, f)).toBe(intl(x, f));
      },
    ),
    { numRuns: 20_000 },
  );
});

test('compareText orders as Intl.Collator("en") does (ids of lowercase or of uppercase letters, digits, dashes; labels; anything else)', () => {
  const en = new Intl.Collator('en');
  const word = (alphabet: string) => fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength: 6 });
  const printable = Array.from({ length: 95 }, (_, k) => String.fromCharCode(32 + k)).join('');
  for (const arb of [
    word('abcz019-'),
    word('ABZ019-'),
    word('aAbBzZ -,.()'), // labels: blanks, punctuation, both cases (the root-collation table)
    word(printable),
    fc.string({ maxLength: 5 }),
    fc.string({ unit: 'binary', maxLength: 4 }), // beyond ASCII: ICU
  ])
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        expect(Math.sign(compareText(a, b))).toBe(Math.sign(en.compare(a, b)));
      }),
      { numRuns: 20_000 },
    );
  // every pair of printable ASCII characters, and each with a longer string after it
  for (const x of printable)
    for (const y of printable) {
      expect(Math.sign(compareText(x, y))).toBe(Math.sign(en.compare(x, y)));
      expect(Math.sign(compareText(`${x}a`, `${y}B`))).toBe(Math.sign(en.compare(`${x}a`, `${y}B`)));
    }
  // the same order whatever the process's locale: Lithuanian sorts "y" with "i", before "j"
  expect(new Intl.Collator('lt').compare('y', 'j')).toBe(-1);
  expect(compareText('y', 'j')).toBe(1);
  expect(compareText('new SME member', 'new member, band A')).toBe(1);
});

test('textComparator sorts a list as Intl.Collator("en") does', () => {
  const word = (alphabet: string) => fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength: 6 });
  for (const arb of [word('abz09-'), word('ABZ09-'), fc.string({ maxLength: 4 })])
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 30 }), (xs) => {
        expect([...xs].sort(textComparator(xs))).toEqual([...xs].sort((a, b) => a.localeCompare(b, 'en')));
      }),
      { numRuns: 2000 },
    );
});
