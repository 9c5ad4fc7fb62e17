// Preloaded into every benchmarked feesim process (node --import): writes the process's peak resident
// memory (KB) to the file named by FEESIM_BENCH_RSS when it exits. Costs one tiny module load.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.FEESIM_BENCH_RSS;
if (file && isMainThread) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
