import fc from 'fast-check';
import { expect, test } from 'vitest';
import { inBounds } from '../src/engine/finite.js';
import { memberUniform } from '../src/engine/random/streams.js';
import { firstOutside, thresholdSweep } from '../src/engine/threshold-sweep.js';
import { summaryKernel } from '../src/engine/wasm/summary-kernel.js';
import { sweepKernel, uniforms } from '../src/engine/wasm/sweep-kernel.js';
import { sizedKernel } from '../src/wasm/assemble.js';
import { modelOf, scenarioWith } from './helpers.js';

// The WebAssembly loops of the threshold sweep against the JavaScript they stand for, bit for bit
// (the sweep as a whole: test/kernel.test.ts; the summaries' passes: test/summarize.test.ts).

const bits = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

test('the kernels compile here (Node 20 has WebAssembly): the tests comparing them with JavaScript compare two paths', () => {
  expect(sweepKernel()).toBeDefined();
  expect(summaryKernel()).toBeDefined();
});

test('uniforms: memberUniform(seedKey, key, first + d) for every member and draw', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 2 ** 31 - 100 }),
      fc.integer({ min: 1, max: 40 }),
      (keys, seed, first, count) => {
        const k = sweepKernel()!;
        k.reset();
        const at = k.alloc(keys.length, 4);
        const out = k.alloc(keys.length * count);
        k.u32(at, keys.length).set(keys);
        k.fn.uniforms(at, keys.length, seed | 0, first, count, out);
        const want = Float64Array.from({ length: keys.length * count }, (_, j) =>
          memberUniform(seed, keys[Math.floor(j / count)]!, first + (j % count)),
        );
        expect(bits(k.f64(out, keys.length * count)).equals(bits(want))).toBe(true);
      },
    ),
  );
});

test('firstOutside: the first draw with a value outside its support or not finite, as a draw-by-draw check finds it (kernel and JavaScript)', () => {
  const bad = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e-9, 1 + 1e-9, -5, 7);
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 60 }),
      fc.array(fc.tuple(fc.nat(4), fc.nat(80), bad), { maxLength: 6 }),
      fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      (m, n, holes, isDrawn) => {
        // columns of 80 draws (only the first n are checked), inside [0, 1] but for the holes; a column
        // not drawn is never read, holes and all
        const lo = new Float64Array(m).fill(0);
        const hi = new Float64Array(m).fill(1);
        const columns = Array.from({ length: m }, (_, k) => Float64Array.from({ length: 80 }, (_, d) => ((d * 7 + k * 3) % 11) / 10));
        for (const [k, d, x] of holes) if (k < m) columns[k]![d] = x;
        const drawn = Int32Array.from(columns.keys()).filter((k) => isDrawn[k]);
        let want = -1;
        for (let d = 0; d < n && want < 0; d++) for (const k of drawn) if (!inBounds(columns[k]![d]!, lo[k]!, hi[k]!)) want = d;
        expect(firstOutside(columns, drawn, lo, hi, n)).toBe(want);
        expect(firstOutside(columns, drawn, lo, hi, n, sweepKernel(8 * n))).toBe(want);
      },
    ),
  );
  // more draws than the kernel checks in one call (16,384): the first bad draw in a later part of one
  // column, and one in an earlier part of the next; a bad value past n is not read
  const n = 40_000;
  const cols = [new Float64Array(n + 10).fill(0.5), new Float64Array(n + 10).fill(0.5), new Float64Array(n + 10).fill(0.5)];
  cols[0]![33_000] = Number.NaN;
  cols[2]![n] = -1;
  const both = Int32Array.from([0, 1, 2]);
  const [lo, hi] = [new Float64Array(3), new Float64Array(3).fill(1)];
  for (const k of [undefined, sweepKernel(8 * 16_384)]) {
    expect(firstOutside(cols, both, lo, hi, n, k)).toBe(33_000);
    cols[1]![17_000] = 2;
    expect(firstOutside(cols, both, lo, hi, n, k)).toBe(17_000);
    cols[1]![17_000] = 0.5;
    expect(firstOutside(cols, Int32Array.from([1, 2]), lo, hi, n, k)).toBe(-1);
  }
});

test('a sweep, at few draws and then more, never grows a WebAssembly memory (growing detaches its buffer: V8 then drops the optimised code of every typed-array function)', () => {
  const model = modelOf(scenarioWith('scenarios/option-sme-category.yaml', {}));
  const proto = (globalThis as unknown as { WebAssembly: { Memory: { prototype: { grow(pages: number): number } } } }).WebAssembly.Memory
    .prototype;
  const grow = proto.grow;
  let grown = 0;
  proto.grow = function (this: unknown, pages: number) {
    grown++;
    return grow.call(this, pages);
  };
  try {
    const thresholds = Array.from({ length: 21 }, (_, k) => 50 * k);
    // a first sweep at few draws, then more: the kernel's memory must be made larger, not grown
    for (const draws of [10, 2_000, 12_000]) {
      const points = thresholdSweep(model.scenario, model.pop, 'sme-category', thresholds, { draws, seed: 3 });
      expect(points).toHaveLength(thresholds.length);
    }
  } finally {
    proto.grow = grow;
  }
  expect(grown).toBe(0);
});

test('sizedKernel: a memory that cannot be had gives undefined (the caller runs JavaScript), and that size or larger is not asked for again', () => {
  const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => object } }).WebAssembly;
  const Real = wasm.Memory;
  const asked: number[] = [];
  const LIMIT = 6; // pages: as if the address space held no more
  wasm.Memory = class extends Real {
    constructor(d: { initial: number }) {
      asked.push(d.initial);
      if (d.initial > LIMIT) throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      super(d);
    }
  };
  const page = 65536;
  try {
    const kernel = sizedKernel<object>([uniforms]);
    expect(kernel(1000)).toBeDefined(); // one page
    const four = kernel(4 * page); // more than it has: a new instance (twice one page is too small: 4)
    expect(four).toBeDefined();
    expect(kernel(4 * page)).toBe(four);
    expect(asked).toEqual([1, 4]);
    const five = kernel(5 * page); // twice four pages cannot be had; just enough can
    expect(five).toBeDefined();
    expect(asked).toEqual([1, 4, 8, 5]);
    expect(kernel(10 * page)).toBeUndefined(); // larger than what failed: not asked for
    expect(kernel(7 * page)).toBeUndefined(); // asked for once (7 < 8), fails
    expect(kernel(7 * page)).toBeUndefined(); // not again
    expect(asked).toEqual([1, 4, 8, 5, 7]);
    expect(kernel(1000)).toBe(five); // what fits is still served
  } finally {
    wasm.Memory = Real;
  }
});
