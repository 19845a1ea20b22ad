import { promtoolCheckRules, promtoolTestRules } from '../support/tools.js';
import type { Manifest } from '../support/synth.js';

/** Rule groups without annotations: unit tests pin expressions, labels and durations. */
function withoutAnnotations(groups: any[]): any[] {
  return groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...r }: any) => r) }));
}

/** Runs `promtool check rules` and expects success. */
export function expectValidRules(promtool: string, groups: unknown[]): void {
  const r = promtoolCheckRules(promtool, groups);
  expect(r.output).toContain('SUCCESS');
  expect(r.status).toBe(0);
}

/** Runs `promtool test rules` (1m evaluation) and expects every test to pass. */
export function expectRuleTests(promtool: string, groups: unknown[], tests: unknown[]): void {
  const r = promtoolTestRules(promtool, withoutAnnotations(groups as any[]), { evaluation_interval: '1m', tests });
  if (r.status !== 0) throw new Error(r.output);
  expect(r.output).toContain('SUCCESS');
}

/** The labels an alert of this library carries besides the series labels. */
export function level(severity: 'warning' | 'critical', incidentClass: 'critical' | 'high' | 'medium', extra: Record<string, string> = {}) {
  return { severity, incident_class: incidentClass, ...extra };
}

export function groupsOf(rule: Manifest): unknown[] {
  return rule.spec.groups;
}
