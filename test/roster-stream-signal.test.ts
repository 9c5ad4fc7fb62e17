import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOTYPE_GUARD, ROOT } from './helpers.js';

/**
 * A roster is read in asynchronous chunks, so a signal stops a long read at once: SIGTERM during the
 * read of a large roster exits 143 (SIGINT: 130) and no output appears. The test waits until the
 * process has the roster open (Linux /proc) before signalling; no timing is asserted.
 */

const dir = mkdtempSync(join(tmpdir(), 'feesim-roster-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundled roster repeated with unique ids: `rows` memberships. */
function bigRoster(rows: number): string {
  const lines = readFileSync(resolve(ROOT, 'data/roster-synthetic.csv'), 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('id,'))!;
  const data = lines.filter((l) => l && !l.startsWith('#') && l !== header);
  const out = [header];
  for (let k = 0; k < rows; k++) {
    const r = data[k % data.length]!;
    const c = Math.floor(k / data.length);
    const a = r.indexOf(',');
    const b = r.indexOf(',', a + 1);
    out.push(`${r.slice(0, a)}-${c},${r.slice(a + 1, b)}-${c}${r.slice(b)}`);
  }
  const file = join(dir, 'big.csv');
  writeFileSync(file, `${out.join('\n')}\n`);
  return file;
}

/** True while process `pid` has `file` open. */
function hasOpen(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe.skipIf(process.platform !== 'linux')('a signal during a long roster read', () => {
  const roster = bigRoster(300_000);

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} while the roster is read: exit ${code}, no output file`, async () => {
      const out = join(dir, `out-${signal}.md`);
      const child = spawn(
        process.execPath,
        [
          '--import',
          PROTOTYPE_GUARD,
          resolve(ROOT, 'bin/feesim.mjs'),
          'export',
          'scenarios/pp18-options.yaml',
          '--members',
          roster,
          '--format',
          'md',
          '-o',
          out,
        ],
        { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const exited = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      let running = true;
      void exited.then(() => {
        running = false;
      });
      // wait until the roster is open, then signal
      while (running && !hasOpen(child.pid!, roster)) await new Promise((r) => setTimeout(r, 2));
      expect(running, `the export ended before its roster was read: ${stderr}`).toBe(true);
      child.kill(signal);
      expect(await exited, stderr).toBe(code);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith(`.out-${signal}`) || f.startsWith(`out-${signal}`))).toEqual([]);
    }, 60_000);
  }
});
