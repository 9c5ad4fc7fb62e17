// Start-up: main.ts offers these as --format choices, so this module names the formats and loads no writer.

/** Output formats of `export` and `run -o`. */
export const FORMATS = ['csv', 'md', 'xlsx', 'json'] as const;
export type Format = (typeof FORMATS)[number];
