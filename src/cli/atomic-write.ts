import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const pending = new Set<string>();
/** Temporary files still being written; removed if the process is interrupted. */
export function removePendingFiles(): void {
  for (const f of pending) rmSync(f, { force: true });
  pending.clear();
}

/**
 * Writes a file so that readers see either the old file or the complete new one: the bytes go to a
 * temporary file in the same folder, which is flushed and then renamed over the target. On any error
 * (or SIGINT, see main.ts) the temporary file is removed and the target is untouched.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, opts: { chunkHook?: () => void } = {}): void {
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  pending.add(tmp);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const CHUNK = 1 << 16;
    for (let off = 0; off < bytes.length; off += CHUNK) {
      writeSync(fd, bytes, off, Math.min(CHUNK, bytes.length - off));
      opts.chunkHook?.();
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
    pending.delete(tmp);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    pending.delete(tmp);
    throw e;
  }
}
