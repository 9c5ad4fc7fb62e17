/**
 * Run-wide state of input reading, in a light module main.ts may import (test/startup.test.ts): the
 * --max-input-mb override and the warnings found while reading (invalid UTF-8, unknown YAML tags),
 * which the CLI prints at the end of the command. src/cli/read-input.ts is the reader that uses it.
 */
let overrideMb: number | undefined;

/** --max-input-mb: one limit for every input of this run (undefined: the defaults). */
export function setMaxInputMb(mb: number | undefined): void {
  overrideMb = mb;
}
export function maxInputMb(): number | undefined {
  return overrideMb;
}

const warnings: string[] = [];
export function warn(message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}
/** The warnings so far, once: the CLI prints and clears them. */
export function takeWarnings(): string[] {
  return warnings.splice(0, warnings.length);
}
