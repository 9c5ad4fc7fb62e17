import { randomInt } from 'node:crypto';
import type { Io } from './io.js';

/** A fresh seed: the only place feesim draws one; the engine itself is always given its seed. */
export const randomSeed = (): number => randomInt(0, 2 ** 31 - 1);

/** The seed of a Monte Carlo run: --seed, or a fresh one printed so the run can be reproduced. */
export function seedFor(opts: { draws?: number; seed?: number }, io: Io): number | undefined {
  if (!opts.draws) return undefined;
  if (opts.seed !== undefined) return opts.seed;
  const seed = randomSeed();
  announceSeed(seed, io);
  return seed;
}

/** Tells the user a seed feesim chose, so that the run can be reproduced. */
export function announceSeed(seed: number, io: Io): void {
  io.err(`seed: ${seed} (pass --seed ${seed} to reproduce)\n`);
}
