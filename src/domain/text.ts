/**
 * Terminal safety for every human-readable output (CLI tables, messages, warnings, the explorer):
 * text from inputs (labels, titles, unknown keys, member names, file names) may hold control
 * characters — ESC sequences that clear the screen or set the window title, carriage returns that
 * overwrite a line, bidirectional overrides that reorder what is shown. They are made visible instead:
 * `\x1b`, `\r`, `\u202e`. Tabs are kept; newlines are kept unless `newlines: false` (one-line fields).
 *
 * @example
 * escapeControl('a\u001b[2Jb') // => 'a\\x1b[2Jb'
 */
// C0 controls except tab and newline, DEL, C1 controls; bidi embeddings/overrides/isolates; line/paragraph separators
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\n\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]/g;

function visible(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  const c = ch.charCodeAt(0);
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

export function escapeControl(text: string, opts: { newlines?: boolean } = {}): string {
  return text.replace(opts.newlines === false ? CONTROL_OR_NEWLINE : CONTROL, visible);
}

/** True when the text holds a character escapeControl would change. */
export const hasControl = (text: string) =>
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]/.test(text);
