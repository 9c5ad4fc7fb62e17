import { fstatSync, writeSync } from 'node:fs';
import { escapeControl } from '../domain/text.js';

/** The shell's streams, passed in so that commands can be run and tested without a process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars, hints). */
  stderrIsTty: boolean;
}

/**
 * Whether stdout is a file or a device other than a terminal (`> out.json`, `> /dev/null`), asked once.
 * There Node's stdout stream writes synchronously anyway, but first turns each string into a Buffer in
 * JavaScript; writeSync(1, text) encodes it natively, in half the time: ~60 ms of a 60 MB run --json.
 * Not for a pipe or a socket, which Node may hold non-blocking (writeSync would then fail with EAGAIN)
 * and which it watches for EPIPE (main.ts).
 */
let stdoutIsFile: boolean | undefined;
function writesStraight(): boolean {
  if (stdoutIsFile === undefined) {
    try {
      const st = fstatSync(1);
      stdoutIsFile = st.isFile() || (st.isCharacterDevice() && !process.stdout.isTTY);
    } catch {
      stdoutIsFile = false;
    }
  }
  return stdoutIsFile;
}

export const processIo: Io = {
  // on a terminal, control characters from inputs are shown, not obeyed (domain/text.ts); pipes get the bytes
  out: (t) => {
    if (writesStraight()) writeSync(1, t);
    else process.stdout.write(process.stdout.isTTY ? escapeControl(t) : t);
  },
  // stderr carries messages only, never data: control characters from inputs (a path recorded in a
  // document being verified, a --set recorded in an expected file, an unknown option) are shown
  // everywhere, a log file included; the progress line's leading carriage return (a terminal only) is kept
  err: (t) => {
    process.stderr.write(t.startsWith('\r') ? `\r${escapeControl(t.slice(1))}` : escapeControl(t));
  },
  stderrIsTty: process.stderr.isTTY === true,
};
