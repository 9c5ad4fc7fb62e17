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
  err: (t) => {
    process.stderr.write(t);
  },
  stderrIsTty: process.stderr.isTTY === true,
};
