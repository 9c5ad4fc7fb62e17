/**
 * Version of the JSON documents feesim writes (run, sweep, tornado, solve, roster, export --format json):
 * one constant, raised when a field changes meaning or disappears (docs/outputs.md).
 */
export const RESULT_SCHEMA_VERSION = 2; // 2: run --json names its horizon counts (participantYears, lastYear), total holds money only
