import fc from 'fast-check';
import { expect, test } from 'vitest';
import { memberUniform } from '../src/engine/random/streams.js';
import { summaryKernel } from '../src/engine/wasm/summary-kernel.js';
import { sweepKernel } from '../src/engine/wasm/sweep-kernel.js';

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
