import { availableParallelism } from 'node:os';

// Start-up: main.ts reads these for --help, so this module stays free of the engine and worker_threads.

/** Below this many draws a run is faster on one thread than the ~0.3 s it takes to start workers. */
export const PARALLEL_FROM_DRAWS = 50_000;

export function defaultThreads(draws: number): number {
  return draws >= PARALLEL_FROM_DRAWS ? Math.min(8, availableParallelism()) : 1;
}
