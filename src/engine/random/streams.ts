import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

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
 */
export function streamFor(seed: number, variableId: string): Uniform {
  const rng = xoroshiro128plus(mix32(hashText(`${seed}:${variableId}`)) | 0);
  // xoroshiro's first outputs from a small seed are poorly mixed; burn a few.
  for (let i = 0; i < 8; i++) uniformFloat64(rng);
  return () => uniformFloat64(rng);
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
