import { availableParallelism, loadavg } from 'node:os';

// Start-up: main.ts reads these for --help, so this module stays free of the engine and worker_threads.

/** Below this many draws a run is faster on one thread than the ~0.3 s it takes to start workers. */
export const PARALLEL_FROM_DRAWS = 50_000;

/**
 * From this many draws, a run that starts its worker before opening the scenario (run.ts startEarly)
 * shares the draws with one worker thread when a second core is free: the worker loads while the main
 * thread reads the inputs, so it costs no wall time of its own.
 */
export const EARLY_PARALLEL_FROM_DRAWS = 4_000;

/**
 * How many threads a Monte Carlo of `draws` draws uses unless --threads says: every core (at most 8)
 * from PARALLEL_FROM_DRAWS; two from EARLY_PARALLEL_FROM_DRAWS when the run can start its worker
 * early and a second core is free — the last minute's load average below cores − 0.5, so that a busy
 * machine does not pay for a worker it has no core for; else one. The result never depends on it.
 *
 * @example
 * threadsFor(10_000, { early: true, cores: 2, load: 0.3 }) // => 2
 * threadsFor(10_000, { early: true, cores: 2, load: 1.7 }) // => 1
 */
export function threadsFor(draws: number, how: { early?: boolean; cores: number; load: number }): number {
  if (draws >= PARALLEL_FROM_DRAWS) return Math.min(8, how.cores);
  return how.early && draws >= EARLY_PARALLEL_FROM_DRAWS && how.cores >= 2 && how.load < how.cores - 0.5 ? 2 : 1;
}

/** threadsFor on this machine, now. */
export function defaultThreads(draws: number, how: { early?: boolean } = {}): number {
  return threadsFor(draws, { early: how.early, cores: availableParallelism(), load: loadavg()[0]! });
}
