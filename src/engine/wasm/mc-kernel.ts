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
 * one-shot `feesim run --draws 10000` runs these loops 10,000 times per arm before V8's optimising
 * compiler has caught up with them in JavaScript; WebAssembly is compiled before its first call.
 *
 * Each run gets an instance of its own (instanceFactory: compiled once), its memory sized for its
 * arrays up front and never grown: the plan's arrays, the arm accumulators, the draw's parameter values
 * and a block of uniforms live there as long as the run, and several runs may be alive at once (the
 * explorer's).
 */

const { i32Add, i32Mul, i32Shl, i32GeS, f64Add, f64Mul, f64Lt } = op;
const SLOTS = 7; // kernel.ts SLOTS: the accumulation step's numbers per member

/** if (cond) { then } else { otherwise }, leaving an f64 */
const choose = (then: Code, otherwise: Code): Code => [0x04, F64, then, 0x05, otherwise, 0x0b];

/**
 * drawMembers(slot, at, pParam, fixedP, factorParam, classTerm, sectorTerm, termValue, contrib, n, u,
 * uStride, values, acc) → whether any member took up: for m < n (a MemberPlan's arrays at their byte
 * addresses; at and slot as element indices), p = pParam[m] ≥ 0 ? values[pParam[m]] : fixedP[m], times
 * termValue[classTerm[m]] × termValue[sectorTerm[m]] when factorParam[m] ≥ 0; when the member's uniform
 * u[slot[m] × uStride bytes] < p, acc[at[m] + s] += contrib[m × SLOTS + s] for s < SLOTS.
 */
const drawMembers = (() => {
  const [slot, at, pParam, fixedP, factorParam, classTerm, sectorTerm, termValue, contrib, n, u, uStride, values, acc] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  ];
  const [m, k, p, a, c, changed] = [14, 15, 16, 17, 18, 19];
  const int = (base: number): Code => [get(base), get(m), i32(2), i32Shl, i32Add, loadI32()]; // base[m], i32
  const f64At = (base: number, index: Code): Code => [get(base), index, i32(3), i32Shl, i32Add]; // &base[index], f64
  // acc[a + s] += contrib[c + s]
  const add = (s: number): Code => [
    [f64At(acc, [get(a), i32(s), i32Add]), f64At(acc, [get(a), i32(s), i32Add]), loadF64()],
    [f64At(contrib, [get(c), i32(s), i32Add]), loadF64(), f64Add, storeF64()],
  ];
  return {
    name: 'drawMembers',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32] as const,
    results: [I32] as const,
    locals: [I32, I32, F64, I32, I32, I32] as const,
    code: [
      forRange(m, i32(0), n, [
        [int(pParam), set(k)],
        // p = k >= 0 ? values[k] : fixedP[m]
        [get(k), i32(0), i32GeS, choose([f64At(values, get(k)), loadF64()], [f64At(fixedP, get(m)), loadF64()]), set(p)],
        // rights-aware: p *= termValue[classTerm[m]] * termValue[sectorTerm[m]]
        [int(factorParam), i32(0), i32GeS],
        when([get(p), f64At(termValue, int(classTerm)), loadF64(), f64At(termValue, int(sectorTerm)), loadF64(), f64Mul, f64Mul, set(p)]),
        // the member's uniform below p: it takes up
        [get(u), int(slot), get(uStride), i32Mul, i32Add, loadF64(), get(p), f64Lt],
        when([
          [int(at), set(a), get(m), i32(SLOTS), i32Mul, set(c)],
          Array.from({ length: SLOTS }, (_, s) => add(s)),
          [i32(1), set(changed)],
        ]),
      ]),
      get(changed),
    ],
  };
})();

interface Exports {
  uniforms(keys: number, n: number, seed: number, first: number, count: number, out: number): void;
  drawMembers(...args: number[]): number;
}

let factory: ((bytes: number) => Arena<Exports>) | null | undefined;

/**
 * A new kernel instance whose memory holds `bytes` (allocate exactly that from its arena, then make the
 * views), or undefined where WebAssembly is not available (node --jitless): the caller runs JavaScript.
 */
export function monteCarloKernel(bytes: number): Arena<Exports> | undefined {
  if (factory === undefined) factory = instanceFactory<Exports>([uniforms, drawMembers]);
  return factory?.(bytes) ?? undefined;
}

export type MonteCarloKernel = Arena<Exports>;
