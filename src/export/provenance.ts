/** What every export carries so a reader can reproduce it. */
export interface ExportProvenance {
  tool: { name: string; version: string };
  scenarios: { file: string; title: string; sha256: string }[];
  roster: { label: string; synthetic: boolean; sha256: string };
  seed: number | null;
  draws: number | null;
}

export function provenanceRows(p: ExportProvenance): [string, string][] {
  return [
    ['tool', `${p.tool.name} ${p.tool.version}`],
    ...p.scenarios.flatMap((s, k): [string, string][] => [
      [`scenario ${k + 1}`, `${s.file} — ${s.title}`],
      [`scenario ${k + 1} sha256`, s.sha256],
    ]),
    ['roster', p.roster.label],
    [
      'roster is synthetic',
      p.roster.synthetic ? 'yes — generated, calibrated to published totals; not real members' : 'no (user-supplied)',
    ],
    ['roster sha256', p.roster.sha256],
    ['seed', p.seed === null ? 'none (deterministic run)' : String(p.seed)],
    ['draws', p.draws === null ? '0 (deterministic run)' : String(p.draws)],
  ];
}
