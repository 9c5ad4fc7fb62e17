// npm run bench: every case of issue 12 — whole-process time (median of --runs), peak memory, target,
// ratio to the previous main, met or not. The previous main is a build of another tree given by
// --baseline <dir> or FEESIM_BASELINE (e.g. a `git worktree` of the commit before the change, with
// `npm ci && npm run build` run in it); each case runs there and here alternately in the same bench run.
// Without a baseline the ratios are "n/a". Not part of npm test: timings are noisy.
//
//   npm run bench -- --baseline ../wt-perf-baseline --runs 5 [--only version,sweep] [--no-million]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const here = new URL('.', import.meta.url).pathname;
const root = resolve(here, '..');
const argv = process.argv.slice(2);
const flag = (name) => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 ? argv[k + 1] : undefined;
};
const runs = Number(flag('runs') ?? 5);
const only = flag('only')?.split(',');
const baselineArg = flag('baseline') ?? process.env.FEESIM_BASELINE;
const baseline = baselineArg && existsSync(join(resolve(baselineArg), 'dist/cli/main.js')) ? resolve(baselineArg) : undefined;
if (baselineArg && !baseline) console.log(`baseline ${baselineArg}: no build found (dist/cli/main.js); ratios n/a`);

const tmp = mkdtempSync(join(tmpdir(), 'feesim-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const rssFile = join(tmp, 'rss');
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * A 1,000,000-membership roster: a tree's bundled SYNTHETIC roster repeated with unique ids and entities
 * (each tree gets its own, so that a baseline reads the roster format it knows).
 */
function millionRoster(dir) {
  const file = join(tmp, `roster-1m-${dir === root ? 'this' : 'baseline'}.csv`);
  const lines = readFileSync(join(dir, 'data/roster-synthetic.csv'), 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('id,'));
  const rows = lines.filter((l) => l && !l.startsWith('#') && l !== header);
  const chunks = ['# SYNTHETIC 1,000,000-membership roster for the benchmark (bundled roster repeated)', header];
  for (let k = 0; k < 1_000_000; k++) {
    const r = rows[k % rows.length];
    const c = Math.floor(k / rows.length);
    const a = r.indexOf(',');
    const b = r.indexOf(',', a + 1);
    chunks.push(`${r.slice(0, a)}-${c},${r.slice(a + 1, b)}-${c}${r.slice(b)}`);
  }
  writeFileSync(file, `${chunks.join('\n')}\n`);
  return file;
}

/** One whole feesim process in tree `dir`: wall ms from spawn to exit, and its peak RSS in MB. */
function cli(dir, args) {
  rmSync(rssFile, { force: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', join(here, 'rss-hook.mjs'), join(dir, 'bin/feesim.mjs'), ...args], {
    cwd: dir,
    env: { ...process.env, FEESIM_BENCH_RSS: rssFile, CI: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`feesim ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString().slice(0, 400)}`);
  const [kb, cpuUs] = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').split(' ').map(Number) : [NaN, NaN];
  return { ms, mb: kb / 1024, cpu: cpuUs / 1000 };
}

/** An in-process case (bench/case.mjs) against tree `dir`: engine ms as the explorer calls it. */
function inProcess(dir, name) {
  const r = spawnSync(process.execPath, [join(here, 'case.mjs'), dir, name], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr.slice(0, 600));
  const o = JSON.parse(r.stdout.trim().split('\n').at(-1));
  return { ms: o.ms, mb: o.peakRssMb, note: o.note };
}

/** Explorer launch to first frame on a pseudo-terminal (python3's pty), whole process. */
function firstFrame(dir, marker = 'best:') {
  const r = spawnSync(
    'python3',
    [join(here, 'first-frame.py'), marker, process.execPath, join(dir, 'bin/feesim.mjs'), 'explore', '--draws', '10000', '--seed', '1'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.error || r.status !== 0) throw new Error(`python3 pty: ${r.error?.message ?? r.stderr}`);
  return { ms: Number(r.stdout.trim()) * 1000, mb: NaN };
}

const SWEEP = [
  'sweep',
  'scenarios/option-sme-category.yaml',
  '--param',
  'options.sme-category.eligibility.maxEmployees',
  ...['--from', '0', '--to', '1000', '--step', '2', '--draws', '10000', '--seed', '1', '--json'],
];
const million = new Map();
const big = (dir) => {
  if (!million.has(dir)) million.set(dir, millionRoster(dir));
  return million.get(dir);
};
/** Node itself, for scale: no feesim start-up can be faster than this on the machine at that moment. */
function nodeAlone() {
  const t = performance.now();
  // with the same preloaded RSS hook as every feesim process, so that the difference is feesim's own
  spawnSync(process.execPath, ['--import', join(here, 'rss-hook.mjs'), '-e', '0'], { stdio: 'ignore' });
  return { ms: performance.now() - t, mb: NaN };
}

const CASES = [
  { id: 'node', label: '(for scale) node -e 0 (the floor), no feesim', target: NaN, run: nodeAlone },
  { id: 'version', label: 'feesim --version', target: 120, run: (d) => cli(d, ['--version']) },
  { id: 'help', label: 'feesim --help', target: 120, run: (d) => cli(d, ['--help']) },
  {
    id: 'validate',
    label: 'feesim validate scenarios/pp18-options.yaml',
    target: 300,
    run: (d) => cli(d, ['validate', 'scenarios/pp18-options.yaml']),
  },
  {
    id: 'run',
    label: 'feesim run pp18-options.yaml --json (deterministic)',
    target: 300,
    run: (d) => cli(d, ['run', 'scenarios/pp18-options.yaml', '--json']),
  },
  {
    id: 'run-mc',
    label: 'feesim run pp18-options.yaml --draws 10000 --seed 1 --json',
    target: 500,
    run: (d) => cli(d, ['run', 'scenarios/pp18-options.yaml', '--draws', '10000', '--seed', '1', '--json']),
  },
  { id: 'sweep', label: 'feesim sweep option-sme-category 0..1000 step 2, 10,000 draws', target: 400, run: (d) => cli(d, SWEEP) },
  { id: 'first-frame', label: 'explorer: launch to first frame (pty)', target: 300, run: (d) => firstFrame(d) },
  // Ink's own first frame: keys are read from then on (the plain-text frame before it says "starting…")
  {
    id: 'first-keys',
    label: 'explorer: launch to first keys read (pty)',
    target: NaN,
    run: (d) => firstFrame(d, 'Monte Carlo running ['),
  },
  {
    id: 'explorer-step',
    label: 'explorer: one threshold step at 10,000 draws (engine)',
    target: 30,
    run: (d) => inProcess(d, 'explorer-step'),
  },
  {
    id: 'explorer-curve',
    label: 'explorer: whole MC curve 0..1000 recomputed at 10,000 draws (engine)',
    target: 100,
    run: (d) => inProcess(d, 'explorer-curve'),
  },
  {
    id: 'explorer-recompute',
    label: 'explorer: every option + MC curve after an assumption change, 10,000 draws (engine)',
    target: NaN,
    run: (d) => inProcess(d, 'explorer-recompute'),
  },
  {
    id: 'million-validate',
    label: 'feesim validate <1M-row roster.csv>',
    target: 2000,
    targetMb: 600,
    million: true,
    run: (d) => cli(d, ['validate', big(d)]),
  },
  {
    id: 'million-run',
    label: 'feesim run --members <1M-row roster.csv> --json (read + deterministic run)',
    target: 2000,
    targetMb: 600,
    million: true,
    run: (d) => cli(d, ['run', 'scenarios/pp18-options.yaml', '--members', big(d), '--json']),
  },
];

/** The machine's load average now, as printed at the start and the end of a run. */
const loadAverage = () =>
  `${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')} (1, 5, 15 min)`;
const fmtMs = (x) => (Number.isFinite(x) ? (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`) : 'n/a');
const fmtMb = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} MB` : 'n/a');
console.log(`feesim bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, median of ${runs} runs`);
console.log(`this tree: ${root}`);
// what else the machine was doing: every time here depends on it
console.log(`load average at the start: ${loadAverage()}`);
console.log(`previous main: ${baseline ?? 'n/a (pass --baseline <dir> or FEESIM_BASELINE)'}`);
const rows = [];
// node's own start-up in this run (the floor no whole process can go below): the "node" case, run
// whatever --only says, so that every whole-process row can show feesim's time above it
let floor = NaN;
const floorNotes = [];
for (const c of CASES) {
  if (only && !only.includes(c.id) && c.id !== 'node') continue;
  if (c.million && argv.includes('--no-million')) continue;
  const mine = [];
  const base = [];
  let error;
  // the 1M-row cases 3 times at most (seconds each, tens on a loaded machine; once they moved by ±10 %
  // from run to run); each run alternates trees so that load drift hits both alike
  const n = c.million ? Math.min(runs, 3) : runs;
  try {
    for (let k = 0; k < n; k++) {
      mine.push(c.run(root));
      if (baseline) {
        try {
          base.push(c.run(baseline));
        } catch (e) {
          base.push({ ms: NaN, mb: NaN, error: e });
        }
      }
    }
  } catch (e) {
    error = e;
  }
  const ms = median(mine.map((r) => r.ms));
  const mb = Math.max(...mine.map((r) => r.mb));
  const cpu = median(mine.map((r) => r.cpu ?? NaN));
  const bms = median(base.map((r) => r.ms));
  const bmb = base.length ? Math.max(...base.map((r) => r.mb)) : NaN;
  if (c.id === 'node') floor = ms;
  const whole = c.run !== nodeAlone && !c.label.includes('(engine)');
  const metTarget = !error && ms < c.target && (c.targetMb === undefined || mb < c.targetMb);
  // a target at or below what node alone takes here cannot be met by any program: say so, with feesim's share
  const belowFloor = whole && !Number.isNaN(c.target) && c.target < floor + 10;
  const met = Number.isNaN(c.target) ? '' : metTarget ? 'yes' : belowFloor ? 'NO (floor)' : 'NO';
  if (belowFloor && !metTarget)
    floorNotes.push(
      `${c.label}: target ${fmtMs(c.target)}, node alone ${fmtMs(floor)} in this run — the target is below that floor; ${ms - floor > 0 ? `feesim adds ${fmtMs(ms - floor)} above node` : 'feesim is within the noise of node alone'}`,
    );
  rows.push({
    c: c.label,
    target: Number.isNaN(c.target) ? '' : `< ${fmtMs(c.target)}${c.targetMb ? `, < ${c.targetMb} MB` : ''}`,
    time: error ? 'FAILED' : fmtMs(ms),
    mem: fmtMb(mb),
    cpu: fmtMs(cpu),
    prev: fmtMs(bms),
    prevMem: fmtMb(bmb),
    ratio: Number.isFinite(bms) && Number.isFinite(ms) ? `${(bms / ms).toFixed(1)}×` : 'n/a',
    over: whole && Number.isFinite(floor) && !error ? `+${fmtMs(Math.max(0, ms - floor))}` : '',
    met,
  });
  if (error) console.error(`${c.id}: ${error.message}`);
  process.stdout.write(`.`);
}
console.log('\n');
const head = {
  c: 'case',
  target: 'target',
  time: 'time',
  mem: 'peak RSS',
  cpu: 'CPU',
  prev: 'previous main',
  prevMem: 'prev. RSS',
  ratio: 'speed-up',
  over: 'above node',
  met: 'met',
};
const cols = Object.keys(head);
const width = Object.fromEntries(cols.map((k) => [k, Math.max(...[head, ...rows].map((r) => r[k].length))]));
const line = (r) => `| ${cols.map((k) => (k === 'c' || k === 'target' ? r[k].padEnd(width[k]) : r[k].padStart(width[k]))).join(' | ')} |`;
console.log(line(head));
console.log(
  `|${cols.map((k) => `${k === 'c' || k === 'target' ? ':' : '-'}${'-'.repeat(width[k])}${k === 'c' || k === 'target' ? '-' : ':'}`).join('|')}|`,
);
for (const r of rows) console.log(line(r));
for (const n of floorNotes) console.log(`\n${n}`);
console.log('\ntime: whole process from spawn to exit (median), except the two "(engine)" rows, timed in-process as the');
console.log('explorer calls them; speed-up = previous main ÷ this tree; above node = time − node -e 0 in this run (what');
console.log("feesim itself costs); NO (floor): the target is less than 10 ms above node's own start-up on this");
console.log('machine in this run, so no program could meet it here.');
console.log('CPU: user + system time of the process, all its threads (median; n/a for in-process rows): less');
console.log('sensitive than the time to what else the machine runs, and above it when V8 compiles or collects');
console.log('garbage on its background threads.');
console.log('The machine is shared: compare within one run.');
console.log(`load average at the end: ${loadAverage()}`);
