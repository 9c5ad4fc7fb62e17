import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanUpThenExit, publishFile, publishSet } from '../src/cli/atomic-write.js';
import { cli, ROOT } from './helpers.js';

const SCENARIO = 'scenarios/pp18-options.yaml';
const BIN = resolve(ROOT, 'bin/feesim.mjs');
const tmp = () => mkdtempSync(join(tmpdir(), 'feesim-out-'));
/** Entries a reader could mistake for output: temp files, temp links, unpublished set folders. */
const temps = (dir: string) => readdirSync(dir).filter((f) => /\.(tmp|lnk|set)-/.test(f));

function expectRefused(r: { code: number | null; stderr: string }, flag: string, reason: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^${flag.replace(/-/g, '\\-')} {2}\\S+ {2}`, 'm'));
  expect(r.stderr).toMatch(reason);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('-o refuses what it must never replace (exit 2, target untouched)', () => {
  test('a FIFO, a symlink, a directory', () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'real.md'), 'keep\n');
    symlinkSync(join(dir, 'real.md'), join(dir, 'link.md'));
    mkdirSync(join(dir, 'folder.md'));
    expectRefused(cli(['export', SCENARIO, '--format', 'md', '-o', join(dir, 'fifo')]), '-o', /FIFO/);
    expectRefused(cli(['export', SCENARIO, '--format', 'md', '-o', join(dir, 'link.md')]), '-o', /symbolic link/);
    expectRefused(cli(['export', SCENARIO, '--format', 'md', '-o', join(dir, 'folder.md')]), '-o', /is a directory/);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.md'), 'utf8')).toBe('keep\n');
  });
  test.skipIf(process.getuid?.() !== 0)('a device node (a mknod copy of /dev/null) stays a device', () => {
    const dir = tmp();
    const dev = join(dir, 'null');
    if (spawnSync('mknod', [dev, 'c', '1', '3']).status !== 0) return;
    expectRefused(cli(['export', SCENARIO, '--format', 'md', '-o', dev]), '-o', /a device/);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
  });
  test("each of the run's inputs: scenario, extends parent, --members roster, roster, fee schedule, country table", () => {
    const dir = tmp();
    for (const f of ['roster.csv', 'fees.yaml', 'countries.csv'])
      copyFileSync(
        resolve(ROOT, `data/${f === 'roster.csv' ? 'roster-synthetic.csv' : f === 'fees.yaml' ? 'fee-schedule.yaml' : f}`),
        join(dir, f),
      );
    copyFileSync(resolve(ROOT, SCENARIO), join(dir, 'parent.yaml'));
    writeFileSync(
      join(dir, 'child.yaml'),
      'extends: parent.yaml\nroster: roster.csv\nfeeSchedule: fees.yaml\ncountries: countries.csv\ntitle: child\n',
    );
    copyFileSync(resolve(ROOT, 'data/roster-synthetic.csv'), join(dir, 'members.csv'));
    const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    for (const [target, what] of [
      ['child.yaml', 'scenario'],
      ['parent.yaml', 'scenario'],
      ['fees.yaml', 'fee schedule'],
      ['countries.csv', 'country table'],
    ]) {
      const r = cli(['export', join(dir, 'child.yaml'), '--format', 'md', '-o', join(dir, target!)]);
      expectRefused(r, '-o', new RegExp(`this run's ${what}`));
    }
    expectRefused(cli(['export', join(dir, 'child.yaml'), '--format', 'md', '-o', join(dir, 'roster.csv')]), '-o', /this run's roster/);
    const m = cli([
      'export',
      join(dir, 'child.yaml'),
      '--members',
      join(dir, 'members.csv'),
      '--format',
      'md',
      '-o',
      join(dir, 'members.csv'),
    ]);
    expectRefused(m, '-o', /this run's roster/);
    // brief and run -o go through the same check
    expectRefused(cli(['brief', join(dir, 'child.yaml'), '-o', join(dir, 'child.yaml')]), '-o', /this run's scenario/);
    expectRefused(cli(['run', join(dir, 'child.yaml'), '-o', join(dir, 'parent.yaml'), '--format', 'md']), '-o', /this run's scenario/);
    for (const [f, text] of Object.entries(before)) expect(readFileSync(join(dir, f), 'utf8')).toBe(text);
    expect(temps(dir)).toEqual([]);
  });
});

describe('output I/O errors are exit 2 naming the flag and the OS reason', () => {
  test('missing folder, a file as folder, --junit into a missing folder', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'plain'), 'x');
    expectRefused(cli(['export', SCENARIO, '-o', join(dir, 'missing/x.md')]), '-o', /folder .*missing does not exist/);
    expectRefused(cli(['export', SCENARIO, '-o', join(dir, 'plain/x.md')]), '-o', /is not a folder/);
    expectRefused(cli(['export', SCENARIO, '-o', join(dir, 'missing/x.csv')]), '-o', /does not exist/);
    expectRefused(cli(['schema', '-o', join(dir, 'missing/s.json')]), '-o', /does not exist/);
    const r = cli(['check', SCENARIO, '--expected', 'test/expected', '--junit', join(dir, 'missing/j.xml')]);
    expectRefused(r, '--junit', /does not exist/);
  });
  test('a short write (as on a full disk) is exit 2, the old file intact, no temp file left', () => {
    const dir = tmp();
    const target = join(dir, 'k.md');
    writeFileSync(target, 'old complete file\n');
    const r = cli(['export', SCENARIO, '-o', target], { env: { FEESIM_TEST_WRITE_LIMIT: '24576' } });
    expectRefused(r, '-o', /no space left on device \(ENOSPC\)|short write/);
    expect(readFileSync(target, 'utf8')).toBe('old complete file\n');
    expect(temps(dir)).toEqual([]);
    const x = cli(['export', SCENARIO, '-o', join(dir, 'k.xlsx')], { env: { FEESIM_TEST_WRITE_LIMIT: '1000' } });
    expectRefused(x, '-o', /ENOSPC|short write/);
    expect(readdirSync(dir)).toEqual(['k.md']);
  });
  const mountable =
    process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version'], { stdio: 'ignore' }).status === 0;
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
  });
  test.skipIf(!mountable)('a really full disk (64 KiB tmpfs): md and a CSV set keep the old complete version', () => {
    const dir = tmp();
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status !== 0) return;
    mounts.push(dir);
    const md = join(dir, 'k.md');
    writeFileSync(md, 'x'.repeat(30_000));
    expectRefused(cli(['export', SCENARIO, '-o', md]), '-o', /no space left on device \(ENOSPC\)/);
    expect(readFileSync(md, 'utf8')).toBe('x'.repeat(30_000));
    expect(temps(dir)).toEqual([]);
    rmSync(md);
    // a set that fits, then one that does not: the old set stays whole
    const ok = cli(['export', 'scenarios/option-cease-pilot.yaml', '-o', join(dir, 'set.csv')]);
    expect(ok.code, ok.stderr).toBe(0);
    const old = readdirSync(join(dir, 'set')).map((f) => readFileSync(join(dir, 'set', f), 'utf8'));
    const { bavail, bsize } = statfsSync(dir); // fill the disk up to two pages: the larger set cannot fit
    writeFileSync(join(dir, 'ballast'), 'x'.repeat(Math.max(0, bavail * bsize - 2 * bsize)));
    expectRefused(cli(['export', SCENARIO, '-o', join(dir, 'set.csv')]), '-o', /ENOSPC/);
    expect(readdirSync(join(dir, 'set')).map((f) => readFileSync(join(dir, 'set', f), 'utf8'))).toEqual(old);
    expect(temps(dir)).toHaveLength(1); // the published folder only
    expect(readlinkSync(join(dir, 'set'))).toBe(temps(dir)[0]);
  });
});

describe('stale temp files', () => {
  test('an earlier killed run leaves temp files; the next export to that target removes them', () => {
    const dir = tmp();
    // a pid that cannot be alive (above pid_max), old style and new style names
    const stale = ['.k.md.tmp-4194999', '.k.md.tmp-4194999-0a1b2c3d', '.set.lnk-4194999-00ff00ff', '.set.set-4194999-deadbeef'];
    for (const f of stale.slice(0, 3)) writeFileSync(join(dir, f), 'half');
    mkdirSync(join(dir, stale[3]!));
    writeFileSync(join(dir, stale[3]!, 'comparison.csv'), 'half');
    writeFileSync(join(dir, '.other.md.tmp-4194999'), 'not this target');
    expect(cli(['export', SCENARIO, '-o', join(dir, 'k.md')]).code).toBe(0);
    expect(cli(['export', 'scenarios/option-cease-pilot.yaml', '-o', join(dir, 'set.csv')]).code).toBe(0);
    const left = readdirSync(dir).sort();
    expect(left.filter((f) => stale.includes(f))).toEqual([]);
    expect(left).toContain('.other.md.tmp-4194999');
    expect(left).toContain('k.md');
  });
  test('a CSV set replaces a set feesim published, and refuses a folder it did not', () => {
    const dir = tmp();
    expect(cli(['export', 'scenarios/option-cease-pilot.yaml', '-o', join(dir, 'r.csv')]).code).toBe(0);
    const first = readlinkSync(join(dir, 'r'));
    expect(cli(['export', 'scenarios/option-cease-pilot.yaml', '--format', 'csv', '-o', join(dir, 'r')]).code).toBe(0);
    expect(readlinkSync(join(dir, 'r'))).not.toBe(first);
    expect(readdirSync(dir).sort()).toEqual(['r', readlinkSync(join(dir, 'r'))].sort());
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep');
    expectRefused(cli(['export', SCENARIO, '-o', join(dir, 'mine.csv')]), '-o', /refusing to replace a directory/);
    expect(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8')).toBe('keep');
  });
});

// -------------------------------------------------------------------------------------------
// Kills at random moments: the target is the old complete version or the new complete one.

const ROUNDS = 4; // per format and signal: 16 kills in all, the four chains side by side

function exportRun(out: string, title: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'export', SCENARIO, '--set', `title=${title}`, '-o', out], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', FEESIM_WRITE_DELAY_MS: '20' },
    stdio: 'ignore',
  });
  return { child, exited: new Promise((r) => child.on('exit', (code) => r(code))) };
}

/** The version title found in the target, after checking it is complete (a readable workbook; every table, one version). */
async function versionOf(format: 'xlsx' | 'csv', out: string, tables: string[]): Promise<string> {
  if (format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out); // throws on a truncated or corrupt zip
    expect(wb.worksheets.map((w) => w.name)).toContain('Provenance');
    const text = wb.worksheets.map((w) => JSON.stringify(w.getSheetValues())).join('\n');
    const found = new Set(text.match(/V\d+-VERSION/g));
    expect(found.size).toBe(1);
    return [...found][0]!;
  }
  const link = out.replace(/\.csv$/, '');
  const files = readdirSync(link).sort();
  if (tables.length) expect(files).toEqual(tables); // complete: every table
  const found = new Set(files.flatMap((f) => readFileSync(join(link, f), 'utf8').match(/V\d+-VERSION/g) ?? []));
  expect(found.size).toBe(1); // never a mix
  return [...found][0]!;
}

function readlinkSafe(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '\0';
  }
}

async function killChain(format: 'xlsx' | 'csv', signal: 'SIGKILL' | 'SIGINT') {
  const dir = tmp();
  const out = join(dir, format === 'xlsx' ? 'k.xlsx' : 'k.csv');
  const link = join(dir, 'k');
  const first = exportRun(out, 'V0-VERSION');
  expect(await first.exited).toBe(0);
  const tables = format === 'csv' ? readdirSync(link).sort() : [];
  let current = await versionOf(format, out, tables);
  for (let k = 1; k <= ROUNDS; k++) {
    const next = `V${k}-VERSION`;
    const run = exportRun(out, next);
    // odd rounds: a random moment of the whole run; even rounds: while the files are being written
    if (k % 2) await new Promise((r) => setTimeout(r, Math.random() * 1500));
    else {
      const t0 = Date.now();
      const own = readlinkSafe(link);
      while (!temps(dir).some((f) => f !== own) && Date.now() - t0 < 30_000 && run.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, Math.random() * (format === 'csv' ? 250 : 40)));
    }
    run.child.kill(signal);
    await run.exited;
    const found = await versionOf(format, out, tables);
    expect([current, next]).toContain(found);
    current = found;
    if (signal === 'SIGINT') expect(temps(dir).filter((f) => f !== readlinkSafe(link))).toEqual([]);
  }
  // the next export to that target removes whatever the killed runs left
  const last = exportRun(out, 'V99-VERSION');
  expect(await last.exited).toBe(0);
  expect(await versionOf(format, out, tables)).toBe('V99-VERSION');
  expect(temps(dir).filter((f) => f !== readlinkSafe(link))).toEqual([]);
}

describe('an export killed at random moments never leaves a mix', () => {
  test(`XLSX and the CSV set, SIGKILL and SIGINT, ${ROUNDS} times each`, async () => {
    await Promise.all(
      (['xlsx', 'csv'] as const).flatMap((format) => (['SIGKILL', 'SIGINT'] as const).map((signal) => killChain(format, signal))),
    );
  }, 120_000);
});

describe('an interrupt while a file operation is in flight', () => {
  // The CI race this guards against: Ctrl+C arrives while the temp file's open(O_CREAT) is still in
  // libuv's thread pool. Removing the temp files at once missed the file created a moment later (or
  // failed on a folder no longer empty) and left it behind. Here the interrupt is raised in the same
  // tick as the call, so the open is certainly in flight.
  test('waits for it to settle, then removes the temp file (publishFile) and the set folder (publishSet)', async () => {
    const dir = tmp();
    for (const publish of [
      () => publishFile(join(dir, 'one.md'), 'x'.repeat(300_000)),
      () =>
        publishSet(join(dir, 'set'), [
          { name: 'a.csv', data: 'a\n' },
          { name: 'b.csv', data: 'b\n' },
        ]),
    ]) {
      const running = publish().then(
        () => 'published',
        () => 'failed',
      );
      let exitedWith: string[] | undefined;
      cleanUpThenExit(() => {
        exitedWith = temps(dir);
      });
      expect(exitedWith).toBeUndefined(); // not before the open has settled
      await running;
      expect(exitedWith).toEqual([]); // nothing of the interrupted write was left when "exit" ran
      expect(temps(dir)).toEqual([]);
    }
  });
});
