import {
  type Arena,
  type Code,
  F64,
  forRange,
  get,
  I32,
  i32,
  instanceFactory,
  loadF64,
  loadI32,
  op,
  set,
  storeF64,
  when,
} from './assemble.js';
import { uniforms } from './sweep-kernel.js';

/**
 * A Monte Carlo run's member loops (montecarlo.ts) as WebAssembly: the per-member uniforms of a block
 * of draws (the threshold sweep's `uniforms`: memberUniform, operation for operation) and one draw of
 * an arm's members (member-choice.ts drawMembers), the same IEEE 754 operations in the same order, so
 * the same numbers bit for bit (test/montecarlo.test.ts compares runs with the JavaScript loops). A
 * one-shot Monte Carlo run of 10,000 draws runs these loops 10,000 times per arm before V8's optimising
 * compiler has caught up with them in JavaScript; WebAssembly is compiled before its first call.
 *
 * Each run gets an instance of its own (instanceFactory: compiled once), its memory sized for its
 * arrays up front and never grown: the plan's arrays, the arm accumulators, the draw's parameter values
 * and a block of uniforms live there as long as the run, and several runs may be alive at once (the
 * explorer's).
 */

const { i32Add, i32Mul, f64Add, f64Mul, f64Lt } = op;
const SLOTS = 7; // kernel.ts SLOTS: the accumulation step's numbers per member

/** Bytes of a member's record: five addresses, its fixed probability, its SLOTS contributions. */
export const RECORD = 32 + 8 * SLOTS;
/** Where a record holds its fixed probability, and its contributions. */
export const FIXED_P = 24;
export const CONTRIB = 32;

/**
 * drawMembers(records, n, uRow, b) → whether any member took up: for each of the n member records (RECORD
 * bytes each, laid out by montecarlo.ts kernelLoops)
 *
 *   [0] address of its probability (the draw's value of its parameter, or [24] in the record)
 *   [4], [8] addresses of its two rights-aware powers (drawTerms; both a 1.0 when it has none)
 *   [12] its uniform's slot × 8: the uniform is at uRow + slot × 8 × b (a block of b draws, member-major)
 *   [16] address of its offer's accumulator;  [24] its fixed probability (if any)
 *   [32 …] its SLOTS contributions at taken = 1
 *
 * p = probability × (power1 × power2); when uniform < p, accumulator[s] += contribution[s] for s < SLOTS
 * — drawMembers' operations in its order (a member without rights-aware powers: p × (1 × 1) is p, bit
 * for bit).
 */
const drawMembers = (() => {
  const [records, n, uRow, b] = [0, 1, 2, 3];
  const [m, r, acc, p, changed] = [4, 5, 6, 7, 8];
  const field = (offset: number): Code => [get(r), loadI32(offset)];
  return {
    name: 'drawMembers',
    params: [I32, I32, I32, I32] as const,
    results: [I32] as const,
    locals: [I32, I32, I32, F64, I32] as const,
    code: [
      [get(records), set(r)],
      forRange(m, i32(0), n, [
        // p = probability × (power1 × power2)
        [field(0), loadF64(), field(4), loadF64(), field(8), loadF64(), f64Mul, f64Mul, set(p)],
        // uniform < p: it takes up
        [get(uRow), field(12), get(b), i32Mul, i32Add, loadF64(), get(p), f64Lt],
        when([
          [field(16), set(acc)],
          Array.from({ length: SLOTS }, (_, s) => [
            get(acc),
            get(acc),
            loadF64(8 * s),
            get(r),
            loadF64(CONTRIB + 8 * s),
            f64Add,
            storeF64(8 * s),
          ]),
          [i32(1), set(changed)],
        ]),
        [get(r), i32(RECORD), i32Add, set(r)],
      ]),
      get(changed),
    ],
  };
})();

interface Exports {
  uniforms(keys: number, n: number, seed: number, first: number, count: number, out: number): void;
  drawMembers(records: number, n: number, uRow: number, b: number): number;
}

let factory: ((bytes: number) => Arena<Exports> | null) | null | undefined;

/**
 * A new kernel instance whose memory holds `bytes` (allocate exactly that from its arena, then make the
 * views), or undefined where WebAssembly is not available (node --jitless): the caller runs JavaScript.
 */
export function monteCarloKernel(bytes: number): Arena<Exports> | undefined {
  if (factory === undefined) factory = instanceFactory<Exports>([uniforms, drawMembers]);
  return factory?.(bytes) ?? undefined;
}

export type MonteCarloKernel = Arena<Exports>;
