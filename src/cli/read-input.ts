import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { maxInputMb, warn } from '../domain/input-state.js';
import { describeNode, noteInput, reasonOf } from './atomic-write.js';

/**
 * Input bounds (docs/scenario-format.md "Limits"): only regular files are read — a FIFO, device,
 * socket or directory is refused at once, without blocking — and each kind of input has a size limit,
 * raised for one run with --max-input-mb (or FEESIM_MAX_INPUT_MB).
 */
export type InputKind = 'scenario' | 'roster' | 'table';
export const DEFAULT_LIMIT_MB: Record<InputKind, number> = { scenario: 4, roster: 512, table: 16 };
export { setMaxInputMb, takeWarnings, warn } from '../domain/input-state.js';

export function inputLimitBytes(kind: InputKind): number {
  const env = process.env.FEESIM_MAX_INPUT_MB;
  const mb = maxInputMb() ?? (env && /^\d+(\.\d+)?$/.test(env) ? Number(env) : DEFAULT_LIMIT_MB[kind]);
  return Math.floor(mb * 1024 * 1024);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 3 : 1)} MB`;

export type ReadResult =
  | { text: string; bytes: Uint8Array; problem?: undefined; missing?: undefined }
  | { problem: string; missing: boolean; text?: undefined };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a run input: a regular file within its size limit, decoded as UTF-8 (invalid bytes become
 * U+FFFD with a warning naming the first line that has one). The file is recorded as an input, so no
 * output of this run may replace it. Never blocks on a FIFO, never reads a device.
 */
export function readInputFile(file: string, what: string, kind: InputKind, shown: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'not found' : `cannot be read: ${reasonOf(e)}`, missing: code === 'ENOENT' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: `is ${describeNode(st)}, not a regular file`, missing: false };
    const limit = inputLimitBytes(kind);
    if (st.size > limit)
      return {
        problem: `is ${mb(st.size)}, over the ${mb(limit)} limit for a ${kind === 'table' ? 'data table' : kind} file; raise it with --max-input-mb (or FEESIM_MAX_INPUT_MB)`,
        missing: false,
      };
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    noteInput(file, what, st);
    const bytes = buf.subarray(0, off);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      text = bytes.toString('utf8');
      const at = text.indexOf('\uFFFD');
      let line = 1;
      for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
      warn(`${shown}:${line}: not valid UTF-8; the invalid bytes were read as U+FFFD (save the file as UTF-8)`);
    }
    return { text, bytes };
  } catch (e) {
    return { problem: `cannot be read: ${reasonOf(e)}`, missing: false };
  } finally {
    closeSync(fd);
  }
}
