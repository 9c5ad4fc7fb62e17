/**
 * The frame's fixed parts, shared by the explorer (screen.tsx) and the text frame drawn before Ink
 * loads (first-frame.ts). Nothing here imports Ink or React.
 */

/** Lines around the body: title, tabs, description; Monte Carlo, status, key bar. */
export const CHROME = 6;
/**
 * Body rows for a terminal of `rows` lines: the whole frame stays one line shorter than the terminal
 * (a frame as tall as the terminal makes Ink clear the screen on every repaint).
 */
export const bodyRowsFor = (rows: number) => Math.max(3, rows - 1 - CHROME);
/** The help is a full-screen overlay: only the title, the tabs and the key bar stay. */
export const helpBodyRowsFor = (rows: number) => Math.max(3, rows - 1 - 3);

/** The views' titles in the order of their keys (views/index.ts lists the views themselves; a test keeps the two equal). */
export const VIEW_TITLES = ['Overview', 'Threshold', 'Fees', 'Sensitivity', 'Members', 'Parameters'] as const;
