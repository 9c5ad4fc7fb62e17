import type { Io } from './io.js';

/** A progress line on stderr, only when it is a terminal, at most ~10 updates a second. */
export function progressReporter(io: Io, label: string): ((done: number, total: number) => void) | undefined {
  if (!io.stderrIsTty) return undefined;
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.err(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}
