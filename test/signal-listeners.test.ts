import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';

/**
 * main() installs SIGINT/SIGTERM/SIGHUP handlers (remove the temporary files being written, exit 130 /
 * 143 / 129) while a command runs and removes them when it ends; the EPIPE handler on stdout is installed
 * once per process. A process that calls main many times (the tests) must not pile up listeners (it
 * did: MaxListenersExceededWarning after the 11th call in one vitest worker).
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const counts = (): Record<(typeof SIGNALS)[number] | 'stdoutError', number> => ({
  SIGINT: process.listenerCount('SIGINT'),
  SIGTERM: process.listenerCount('SIGTERM'),
  SIGHUP: process.listenerCount('SIGHUP'),
  stdoutError: process.stdout.listenerCount('error'),
});

describe('signal listeners of main()', () => {
  test('30 calls (ok, input error, --version) leave the listener counts as they were; each handler exists while its command runs', async () => {
    // the first call may install the once-per-process EPIPE handler
    await main(['--version'], { out: () => {}, err: () => {}, stderrIsTty: false });
    const before = counts();
    const during: number[] = [];
    const io = {
      out: () => {
        during.push(process.listenerCount('SIGINT'));
      },
      err: () => {
        during.push(process.listenerCount('SIGINT'));
      },
      stderrIsTty: false,
    };
    const codes: number[] = [];
    for (let k = 0; k < 10; k++) {
      codes.push(await main(['run', 'scenarios/option-cease-pilot.yaml'], io));
      codes.push(await main(['run', 'scenarios/no-such-scenario.yaml'], io));
      codes.push(await main(['--version'], io));
    }
    expect(codes).toEqual(Array.from({ length: 10 }, () => [0, 2, 0]).flat());
    expect(counts()).toEqual(before);
    // while a command writes its output, its own SIGINT handler is installed (exactly one more than before)
    expect(during.length).toBeGreaterThan(0);
    expect(new Set(during)).toEqual(new Set([before.SIGINT + 1]));
  });

  test("the inputs a call read are forgotten when it ends: a later call's -o may write there", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-calls-'));
    const roster = join(dir, 'roster.csv');
    copyFileSync('data/roster-synthetic.csv', roster);
    const io = { out: () => {}, err: () => {}, stderrIsTty: false };
    expect(await main(['run', 'scenarios/option-cease-pilot.yaml', '--members', roster], io)).toBe(0);
    // in the same process, a later command whose own inputs do not include that file
    expect(await main(['schema', '-o', roster], io)).toBe(0);
    expect(readFileSync(roster, 'utf8')).toMatch(/^\{/);
    // within one call the roster read is still refused as -o
    let err = '';
    const code = await main(
      [
        'export',
        'scenarios/option-cease-pilot.yaml',
        '--members',
        'data/roster-synthetic.csv',
        '--format',
        'md',
        '-o',
        'data/roster-synthetic.csv',
      ],
      {
        ...io,
        err: (t) => {
          err += t;
        },
      },
    );
    expect(code).toBe(2);
    expect(err).toContain("refusing to overwrite this run's roster");
  });
});
