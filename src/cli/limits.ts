import { InputError } from '../domain/issues.js';

/**
 * Workload caps (docs/scenario-format.md "Limits"): a run whose size would take minutes and gigabytes
 * is refused up front with the limit in the message, instead of running out of memory.
 */
export const WORKLOAD_LIMITS = {
  /** Monte Carlo draws × memberships evaluated (e.g. 1,000 members × 1,000,000 draws). */
  memberDraws: 2e9,
  /** Cells of a sweep or grid (rows × columns). */
  sweepCells: 250_000,
  /** Cells × memberships (every cell evaluates every member). */
  memberCells: 5e9,
} as const;

const n = (x: number) => (x >= 1e7 ? x.toExponential(1).replace('e+', 'e') : x.toLocaleString('en-GB'));

export function checkDraws(draws: number | undefined, members: number, flag = '--draws'): void {
  if (!draws) return;
  if (draws * members > WORKLOAD_LIMITS.memberDraws)
    throw new InputError([
      {
        file: flag,
        path: String(draws),
        message: `${n(draws)} draws × ${n(members)} memberships = ${n(draws * members)} member-draws, over the limit of ${n(WORKLOAD_LIMITS.memberDraws)}; use at most ${n(Math.floor(WORKLOAD_LIMITS.memberDraws / Math.max(members, 1)))} draws`,
      },
    ]);
}

export function checkSweepCells(rows: number, cols: number, members: number, draws = 0, flag = '--step'): void {
  const cells = rows * cols;
  const problems: string[] = [];
  if (cells > WORKLOAD_LIMITS.sweepCells)
    problems.push(
      `${n(rows)} × ${n(cols)} = ${n(cells)} cells, over the limit of ${n(WORKLOAD_LIMITS.sweepCells)} cells; use larger steps`,
    );
  else if (cells * members > WORKLOAD_LIMITS.memberCells)
    problems.push(
      `${n(cells)} cells × ${n(members)} memberships = ${n(cells * members)}, over the limit of ${n(WORKLOAD_LIMITS.memberCells)}; use larger steps`,
    );
  else if (draws && cells * draws * members > WORKLOAD_LIMITS.memberDraws)
    problems.push(
      `${n(cells)} cells × ${n(draws)} draws × ${n(members)} memberships = ${n(cells * draws * members)} member-draws, over the limit of ${n(WORKLOAD_LIMITS.memberDraws)}; use fewer draws or larger steps`,
    );
  if (problems.length) throw new InputError(problems.map((message) => ({ file: flag, path: flag, message })));
}

/** Values a sweep from `from` to `to` by `step` has, counted without building the list. */
export function countSteps(from: number, to: number, step: number): number {
  return Math.floor((to - from) / step + 1e-9) + 1;
}
