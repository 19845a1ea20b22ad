/**
 * Alert test cases for `promtool test rules`: each case feeds series at the real 15s scrape
 * interval and expects, at `at`, exactly the listed alerts (labels written by hand, severity
 * and incident_class included); its `quiet` series, a healthy variant, must fire nothing.
 */
export interface AlertCase {
  readonly alert: string;
  /** Evaluation time (promtool duration). */
  readonly at: string;
  /** Series selector -> promtool values notation, for the firing situation. */
  readonly fire: Record<string, string>;
  /** The same situation healthy: the alert must not fire. */
  readonly quiet: Record<string, string>;
  /** Every label of every expected alert instance. */
  readonly expect: Array<Record<string, string>>;
  /** Why this case exists (a named situation of issue 16, for example). */
  readonly note?: string;
}

export const SCRAPE = '15s';

const inputs = (series: Record<string, string>) => Object.entries(series).map(([series, values]) => ({ series, values }));

/** promtool `tests:` entries: one firing and one quiet test per case. */
export function promtoolTests(cases: AlertCase[]): Array<Record<string, unknown>> {
  return cases.flatMap((c) => [
    { name: `${c.alert} fires${c.note ? ` (${c.note})` : ''}`, interval: SCRAPE, input_series: inputs(c.fire),
      alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: c.expect.map((l) => ({ exp_labels: l })) }] },
    { name: `${c.alert} stays quiet`, interval: SCRAPE, input_series: inputs(c.quiet),
      alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: [] }] },
  ]);
}

/**
 * Runs every case against the group holding its alert (one promtool run per group, rules of
 * other groups left out to keep runs short), annotations removed: the cases assert firing,
 * timing and labels; `promtool check rules` checks the annotation templates.
 */
export function casesByGroup(groups: Array<Record<string, any>>, cases: AlertCase[]): Array<{ group: Record<string, any>; cases: AlertCase[] }> {
  return groups.map((g) => {
    const names = new Set(g.rules.filter((r: any) => r.alert).map((r: any) => r.alert));
    const rules = g.rules.map(({ annotations: _drop, ...rule }: any) => rule);
    return { group: { ...g, rules }, cases: cases.filter((c) => names.has(c.alert)) };
  }).filter((x) => x.cases.length > 0);
}

/** Alert/severity pairs of rendered groups that no case expects to fire. */
export function uncovered(groups: Array<Record<string, any>>, cases: AlertCase[]): string[] {
  const covered = new Set(cases.flatMap((c) => c.expect.map((l) => `${c.alert}/${l.severity}`)));
  return groups.flatMap((g) => g.rules.filter((r: any) => r.alert).map((r: any) => `${r.alert}/${r.labels.severity}`))
    .filter((k: string) => !covered.has(k));
}

/** `n` samples of a value cycling through `pattern` (one entry per scrape). */
export const cycle = (pattern: number[], n: number) => Array.from({ length: n }, (_, i) => pattern[i % pattern.length]).join(' ');

/** Warning and critical expectations of a two-level alert. */
export const levels = (labels: Record<string, string>, critical: 'high' | 'critical') => [
  { ...labels, severity: 'warning', incident_class: 'medium' },
  { ...labels, severity: 'critical', incident_class: critical },
];
export const warning = (labels: Record<string, string>) => ({ ...labels, severity: 'warning', incident_class: 'medium' });
export const critical = (labels: Record<string, string>, cls: 'high' | 'critical') => ({ ...labels, severity: 'critical', incident_class: cls });
