/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/**
 * A stream of uniforms in [0, 1) that can also fill an array at once (`fill`: the next out.length
 * numbers, the same as that many calls) — a Monte Carlo run draws its parameters in blocks.
 */
export interface UniformStream extends Uniform {
  fill(out: Float64Array): void;
}

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of a text key, the same on every platform. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * An independent stream per random variable, seeded from hash(seed, variableId): adding or removing
 * a variable never moves the draws of the others (ENGINEERING.md, "Numbers and randomness").
 *
 * The generator is xoroshiro128+ on four 32-bit words, and each uniform takes 26 + 27 bits of two
 * outputs: pure-rand's xoroshiro128plus and uniformFloat64 (v8) step for step — the numbers feesim has
 * always drawn (test/samplers.test.ts compares the two) — written out over local words, so that a
 * block of draws costs no object or call per number.
 */
export function streamFor(seed: number, variableId: string): UniformStream {
  const x = mix32(hashText(`${seed}:${variableId}`)) | 0;
  // pure-rand's xoroshiro128plus(seed): (s01, s00, s11, s10) = (−1, ~seed, seed, 0)
  const s = Int32Array.of(-1, ~x, x, 0);
  const fill = (out: Float64Array): void => {
    let s01 = s[0]!;
    let s00 = s[1]!;
    let s11 = s[2]!;
    let s10 = s[3]!;
    for (let i = 0; i < out.length; i++) {
      // two outputs of XoroShiro128Plus.next(), the state advanced after each
      const v1 = (s00 + s10) | 0;
      let a0 = s10 ^ s00;
      let a1 = s11 ^ s01;
      let t00 = s00;
      let t01 = s01;
      s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16);
      s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      const v2 = (s00 + s10) | 0;
      a0 = s10 ^ s00;
      a1 = s11 ^ s01;
      t00 = s00;
      t01 = s01;
      s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16);
      s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      // uniformFloat64: 26 bits of the first, 27 of the second
      out[i] = (v1 & 0x3ffffff) * 1.4901161193847656e-8 + (v2 & 0x7ffffff) * 1.1102230246251565e-16;
    }
    s[0] = s01;
    s[1] = s00;
    s[2] = s11;
    s[3] = s10;
  };
  const one = new Float64Array(1);
  const next = (() => {
    fill(one);
    return one[0]!;
  }) as UniformStream;
  next.fill = fill;
  // xoroshiro's first outputs from a small seed are poorly mixed; burn a few.
  fill(new Float64Array(8));
  return next;
}

/**
 * The per-member uniform for draw `draw`: a counter-based hash of (seed, member key, draw), so it
 * depends on the member's id, not on its row, and every option sees the same number for the same
 * member and draw (common random numbers).
 *
 * @example
 * memberUniform(seedKey(1), hashText('T-0001'), 0) === memberUniform(seedKey(1), hashText('T-0001'), 0) // => true
 */
export function memberUniform(seedKeyValue: number, memberKey: number, draw: number): number {
  const a = mix32(seedKeyValue ^ mix32(memberKey + Math.imul(draw, 0x9e3779b9)));
  const b = mix32(a ^ 0x5bd1e995 ^ draw);
  // 53 bits: 32 from a, 21 from b
  return (a * 2097152 + (b >>> 11)) / 9007199254740992;
}

export const seedKey = (seed: number): number => mix32(hashText(`member-draws:${seed}`));
