/** Exit codes (README "Exit codes"). */
export const EXIT = { ok: 0, regression: 1, input: 2, internal: 3, interrupted: 130 } as const;
