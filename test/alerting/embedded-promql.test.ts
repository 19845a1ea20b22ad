import { AlertRules } from '../../lib/alerting/index.js';
import { Duration, RuleSet } from '../../lib/core/index.js';
import { MetricsStack } from '../../lib/metrics/index.js';
import { Condition, IncidentResponse, ResponseAction, WorkloadAutoscaler, WorkloadTarget } from '../../lib/response/index.js';
import { modelServing } from '../response/fixture.js';
import { newChart } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules } from '../support/tools.js';

// A valid expression with trailing and inner comments, as users paste them from a dashboard.
const COMMENTED = 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", job="#node"}[5m])) # busy CPU\n  or vector(0) # no data';

function thresholdRules(query: string) {
  return new AlertRules(newChart(), 'Rules', {
    namespace: 'monitoring',
    thresholds: [{ name: 'BusyCpu', query, warning: 1, critical: 2, for: '5m', summary: 'CPU busy' }],
  }).renderGroups();
}

function automationRules(query: string) {
  const chart = newChart();
  const metrics = new MetricsStack(chart, 'Metrics', { region: 'us-east-1' });
  const target = WorkloadTarget.fromWorkload(modelServing(chart));
  const response = new IncidentResponse(chart, 'Response', { metrics });
  response.addRule('Custom', { name: 'custom', target, condition: Condition.promql({ query, threshold: 1, for: '1m', summary: 's' }), actions: [ResponseAction.notify()] });
  return response.ruleSet.renderGroups();
}

const exprs = (groups: Array<Record<string, unknown>>) => groups.flatMap((g) => (g.rules as Array<{ expr: string }>).map((r) => r.expr));

describe('user PromQL with comments, embedded by the library', () => {
  it('keeps the whole expression: comments stripped through the parse tree, precedence kept', () => {
    expect(exprs(thresholdRules(COMMENTED))[0]).toBe(
      '(sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", job="#node"}[5m])) \n  or vector(0)) > 1',
    );
    expect(exprs(automationRules('up{job="a"} or vector(0) # default'))[0]).toBe('(up{job="a"} or vector(0)) > 1');
    expect(WorkloadAutoscaler.sustained({ name: 't', query: 'up # x', threshold: 1, for: Duration.minutes(2) }))
      .toBe('min_over_time(((up) >= 0 or vector(0))[2m:30s])');
  });
});

describe('Go templates of alert rules, checked at construction', () => {
  const set = (props: Partial<ConstructorParameters<typeof RuleSet>[2]> = {}) => new RuleSet(newChart(), 'R', { name: 'r', namespace: 'monitoring', ...props });
  const alert = { alert: 'A', expr: 'up == 0', severity: 'warning' as const, incidentClass: 'medium' as const, summary: 's', description: 'd' };

  it.each([
    [() => set().addAlert('g', { ...alert, summary: 'Down {{ $labels.instance' }), 'alerts.A.summary', 'unclosed action'],
    [() => set().addAlert('g', { ...alert, description: '{{ if $value }}high' }), 'alerts.A.description', 'unexpected EOF'],
    [() => set().addAlert('g', { ...alert, annotations: { dashboard: '{{ .Labels.x | nosuchfunc }}' } }), 'alerts.A.annotations.dashboard', 'function "nosuchfunc" not defined'],
    [() => set().addAlert('g', { ...alert, labels: { team: '{{ end }}' } }), 'alerts.A.labels.team', 'unexpected {{end}}'],
    [() => set({ commonLabels: { team: '{{ $team }}' } }), 'commonLabels.team', 'undefined variable "$team"'],
    [() => set({ runbookBaseUrl: 'https://runbooks.example.com/{{.x' }), 'runbookBaseUrl', 'unclosed action'],
  ])('%#: rejects a template promtool would refuse, naming %s', (...[build, prop, why]) => {
    expect(build).toThrow(`'${prop}' must be a valid Go template for Prometheus (${why})`);
  });
});

describeWithTool('promtool', 'embedded expressions and templates under promtool check rules', (promtool) => {
  it('accepts the threshold and automation rules built from commented expressions', () => {
    for (const groups of [thresholdRules(COMMENTED), automationRules('up{job="a"} or vector(0) # default')]) {
      const r = promtoolCheckRules(promtool, groups);
      expect(r.output).toContain('SUCCESS');
      expect(r.status).toBe(0);
    }
  });

  it('accepts the KEDA query built from a commented expression', () => {
    const expr = WorkloadAutoscaler.sustained({ name: 't', query: 'sum(rate(x[5m])) # rps', threshold: 1, for: Duration.minutes(2) });
    expect(promtoolCheckRules(promtool, [{ name: 'keda', rules: [{ record: 'keda:query', expr }] }]).status).toBe(0);
  });

  it('accepts alerts whose templates use Prometheus functions and variables', () => {
    const groups = new RuleSet(newChart(), 'R', { name: 'r', namespace: 'monitoring', commonLabels: { region: '{{ $externalLabels.region }}' } })
      .addAlert('g', {
        alert: 'A', expr: 'up == 0', severity: 'warning', incidentClass: 'medium',
        summary: '{{- with $labels.instance }}{{ . }}{{ else }}unknown{{ end -}} down',
        description: '{{ $value | humanizePercentage }} {{/* a comment */}} {{ printf "%.1f" $value }}',
        annotations: { dashboard: '{{ $externalURL }}/graph?g0.expr={{ "up" | urlquery }}' },
      }).renderGroups();
    const r = promtoolCheckRules(promtool, groups);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
