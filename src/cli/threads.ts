import { availableParallelism } from 'node:os';

// Start-up: main.ts reads these for --help, so this module stays free of the engine and worker_threads.

/**
 * Below this many draws a run is faster on one thread. Measured on this project's 2-core machine
 * (README, Performance, "Threads"): even with the worker started before the scenario is opened
 * (run.ts startEarly) two threads were no faster than one at 10,000 draws (920 vs 850 ms) nor at
 * 50,000 (1,360 vs 1,350 ms) — one node process already keeps part of the second core busy with
 * V8's compiler and garbage collector threads, and a worker pays its own cold start.
 */
export const PARALLEL_FROM_DRAWS = 50_000;

/**
 * How many threads a Monte Carlo of `draws` draws uses unless --threads says: every core (at most 8)
 * from PARALLEL_FROM_DRAWS, else one. The result never depends on it.
 *
 * @example
 * threadsFor(10_000, 2) // => 1
 * threadsFor(50_000, 16) // => 8
 */
export function threadsFor(draws: number, cores: number): number {
  return draws >= PARALLEL_FROM_DRAWS ? Math.min(8, cores) : 1;
}

/** threadsFor on this machine. */
export function defaultThreads(draws: number): number {
  return threadsFor(draws, availableParallelism());
}
