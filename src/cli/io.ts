import { escapeControl } from '../domain/text.js';

/** The shell's streams, passed in so that commands can be run and tested without a process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars, hints). */
  stderrIsTty: boolean;
}

export const processIo: Io = {
  // on a terminal, control characters from inputs are shown, not obeyed (domain/text.ts); pipes get the bytes
  out: (t) => {
    process.stdout.write(process.stdout.isTTY ? escapeControl(t) : t);
  },
  // stderr carries messages only, never data: control characters from inputs (a path recorded in a
  // document being verified, a --set recorded in an expected file, an unknown option) are shown
  // everywhere, a log file included; the progress line's leading carriage return (a terminal only) is kept
  err: (t) => {
    process.stderr.write(t.startsWith('\r') ? `\r${escapeControl(t.slice(1))}` : escapeControl(t));
  },
  stderrIsTty: process.stderr.isTTY === true,
};
