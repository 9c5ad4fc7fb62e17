// Preloaded into every benchmarked feesim process (node --import): writes the process's peak resident
// memory (KB) and its CPU time (user + system, all its threads, µs) to the file named by FEESIM_BENCH_RSS
// when it exits. Costs one tiny module load.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.FEESIM_BENCH_RSS;
if (file && isMainThread)
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}`);
  });
