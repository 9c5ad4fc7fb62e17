// npm run bench: engine time, whole-process time and peak memory of the cases issue #4 and #5 name.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

const here = new URL('.', import.meta.url).pathname;
const root = new URL('..', import.meta.url).pathname;
console.log(`feesim bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
const targets = { comparison: 1000, sweep: 500, million: 2000, 'tui-step': 50 };
for (const c of ['comparison', 'sweep', 'tui-step', 'million']) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [`${here}case.mjs`, c], { encoding: 'utf8', cwd: root });
  const wall = performance.now() - t;
  if (r.status !== 0) {
    console.log(`${c}: FAILED\n${r.stderr}`);
    process.exitCode = 1;
    continue;
  }
  const o = JSON.parse(r.stdout);
  console.log(
    `${o.case}\n  engine ${o.engineMs.toFixed(0)} ms (target < ${targets[c]} ms)  process ${wall.toFixed(0)} ms  peak RSS ${o.peakRssMb.toFixed(0)} MB${o.rosterBuildMs ? `  (roster build ${o.rosterBuildMs.toFixed(0)} ms, not engine)` : ''}${o.note ? `  (${o.note})` : ''}`,
  );
}
for (const [draws, threads] of [
  [10_000, 1],
  [100_000, 1],
  [100_000, 2],
]) {
  const t = performance.now();
  execFileSync(
    process.execPath,
    [`${root}bin/feesim.mjs`, 'run', '--draws', String(draws), '--seed', '1', '--threads', String(threads), '--json'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`whole CLI: feesim run --draws ${draws} --seed 1 --threads ${threads} --json  ${(performance.now() - t).toFixed(0)} ms`);
}
