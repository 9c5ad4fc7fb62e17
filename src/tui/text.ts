/**
 * Fitting text into terminal cells. Titles are cut at a word boundary with `…`, never mid-word;
 * names (a member, an option label in a narrow column) are cut with `…` only when they do not fit.
 */

/** Display width of a string: every character of this UI is one cell wide (no CJK, no emoji). */
export const cells = (s: string): number => [...s].length;

/** `text` within `width` cells: whole words, then `…`. A first word longer than the width is cut with `…`. */
export function fitWords(text: string, width: number): string {
  if (cells(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const words = text.split(' ');
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (cells(next) + 1 > width) break;
    out = next;
  }
  if (!out) return cut(text, width);
  return `${out.replace(/[\s,;:—–-]+$/u, '')}…`;
}

/** `text` within `width` cells, cut with `…` at the end when it does not fit. */
export function cut(text: string, width: number): string {
  const ch = [...text];
  if (ch.length <= width) return text;
  if (width <= 0) return '';
  return `${ch.slice(0, width - 1).join('')}…`;
}

export const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - cells(s)));
export const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - cells(s))) + s;

/** Words wrapped to lines of at most `width` cells (a word longer than a line is cut). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${w}` : w;
    if (cells(next) <= width) line = next;
    else {
      if (line) lines.push(line);
      line = cut(w, width);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A string read from input (a label, a member name) made safe to print: terminal control characters
 * (C0, DEL, C1, so also ESC and CSI) become `?`, so a roster cannot move the cursor or recolour the screen.
 */
export const safe = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
