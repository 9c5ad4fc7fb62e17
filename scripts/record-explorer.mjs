// Records V8's code cache of the explorer on a terminal (scripts/bundle.mjs; README, "The code cache"):
// the build has no terminal, and the explorer's terminal path — its plain-text first frame, then its Ink
// part — runs only on one. Here `feesim explore` runs from the CommonJS bundle with FEESIM_CODE_CACHE=write
// on a stand-in 80×24 terminal (process.stdin and process.stdout replaced: streams that say they are
// TTYs; what is drawn is kept here, never printed), shows the Threshold view, takes a step, and quits with
// q. Exits 1 (the build fails) if the explorer does not end by itself within 60 s, or ends other than with 0.
// Run in an environment without CI variables (Ink, and the explorer, draw only the last frame in CI).
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from '../bin/code-cache.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let drawn = '';
const stdout = Object.assign(
  new Writable({
    write(chunk, _encoding, done) {
      drawn += chunk;
      done();
    },
  }),
  { isTTY: true, columns: 80, rows: 24 },
);
const stdin = Object.assign(new PassThrough(), {
  isTTY: true,
  isRaw: false,
  setRawMode(raw) {
    stdin.isRaw = raw;
    return stdin;
  },
  ref: () => stdin,
  unref: () => stdin,
});
for (const [name, stream] of [
  ['stdout', stdout],
  ['stdin', stdin],
])
  Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });

const fail = (message) => {
  process.stderr.write(`recording the explorer's code cache: ${message}\n${drawn.slice(-2000)}\n`);
  process.exit(1);
};
const watchdog = setTimeout(() => fail('the explorer did not end within 60 s'), 60_000);
// keys once the explorer's own key bar is up (the plain-text first frame has none), one at a time
const keys = ['2', '\u001B[C', 'q'];
const typing = setInterval(() => {
  if (drawn.includes(' quit') && stdin.isRaw) stdin.write(keys.shift());
  if (!keys.length) clearInterval(typing);
}, 200);

const { main } = requireWithCodeCache(join(root, 'dist/cjs'), 'main.js', 'write');
const code = await main(['explore', join(root, 'scenarios/pp18-options.yaml'), '--draws', '200', '--seed', '1']);
clearTimeout(watchdog);
clearInterval(typing);
if (code !== 0) fail(`exit ${code}`);
if (keys.length) fail(`ended before the keys ${JSON.stringify(keys)} were typed`);
