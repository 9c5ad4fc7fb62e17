import { rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const pending = new Set<string>();
/** Temporary files still being written; removed if the process is interrupted (main.ts, SIGINT). */
export function removePendingFiles(): void {
  for (const f of pending) rmSync(f, { force: true });
  pending.clear();
}

/**
 * Writes a file so that readers see either the old file or the complete new one: the bytes go to a
 * temporary file in the same folder, which is flushed and then renamed over the target. On any error,
 * or on Ctrl+C between two chunks, the temporary file is removed and the target is untouched.
 * Chunks are written asynchronously so that a SIGINT handler can run during a long write.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  pending.add(tmp);
  const delay = writeDelayMs();
  const file = await open(tmp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const CHUNK = 1 << 16;
    for (let off = 0; off < bytes.length; off += CHUNK) {
      await file.write(bytes, off, Math.min(CHUNK, bytes.length - off));
      if (delay) await sleep(delay);
    }
    await file.sync();
    await file.close();
    await rename(tmp, target);
    pending.delete(tmp);
  } catch (e) {
    await file.close().catch(() => {});
    await rm(tmp, { force: true });
    pending.delete(tmp);
    throw e;
  }
}

/**
 * FEESIM_WRITE_DELAY_MS slows each 64 KiB chunk down, so that a test can interrupt an export while it
 * is being written (test/exports.test.ts). Unset in normal use.
 */
function writeDelayMs(): number {
  const ms = Number(process.env.FEESIM_WRITE_DELAY_MS);
  return Math.max(ms, 0);
}
