import { Slo } from '../../lib/alerting/analytics.js';
import { parseOpenSlo } from '../../lib/alerting/openslo.js';
import { parseSloth } from '../../lib/alerting/sloth.js';
import { newChart } from '../support/synth.js';
import { describeWithTool, promtoolCheckRules } from '../support/tools.js';

// The example of Sloth's prometheus/v1 package documentation, shortened.
const SLOTH = `
version: "prometheus/v1"
service: "k8s-apiserver"
labels:
  cluster: "valhalla"
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "Apiserver HTTP responses are not 5xx or 429."
    sli:
      events:
        error_query: sum(rate(apiserver_request_total{code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(apiserver_request_total[{{.window}}]))
    alerting:
      name: K8sApiserverAvailabilityAlert
      labels:
        category: "availability"
      page_alert:
        labels:
          severity: critical
      ticket_alert:
        disable: true
`;

const OPENSLO = `
apiVersion: openslo/v1
kind: Service
metadata:
  name: inference
spec: {}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: inference-availability
  labels:
    team: [ml-platform]
    openslo.com/tier: [gold]
spec:
  service: inference
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: inference-errors
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: model_requests_total{code!~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: model_requests_total
  objectives:
    - displayName: Good responses
      target: 0.999
`;

describe('Sloth prometheus/v1', () => {
  it('reads service, objective, event queries and alerting switches', () => {
    const [d] = parseSloth(SLOTH);
    expect(d).toMatchObject({
      name: 'k8s-apiserver-requests-availability',
      service: 'k8s-apiserver',
      objective: 99.9,
      alertOn: ['page'],
      labels: { cluster: 'valhalla', category: 'availability' },
    });
    expect(d.indicator.errorQuery({ toPrometheus: () => '1h' } as any)).toBe('sum(rate(apiserver_request_total{code=~"(5..|429)"}[1h]))');
  });

  it('becomes Slo constructs with only the enabled alerts', () => {
    const [slo] = Slo.fromSloth(newChart(), 'Sloth', SLOTH, { namespace: 'monitoring' });
    const alerts = slo.rules.renderGroups().flatMap((g) => g.rules as Array<Record<string, any>>).filter((r) => r.alert);
    expect(alerts.map((r) => r.labels)).toEqual([{
      cluster: 'valhalla', category: 'availability', slo: 'k8s-apiserver-requests-availability', service: 'k8s-apiserver', severity: 'critical', incident_class: 'critical',
    }]);
  });

  it.each([
    ['version: "prometheus/v2"\nservice: a\nslos: []', "'sloth.version' must be 'prometheus/v1', got 'prometheus/v2'"],
    ['version: "prometheus/v1"\nservice: a\nslos: []', "'sloth.slos' must be a non-empty list of SLOs, got []"],
    ['version: "prometheus/v1"\nservice: a\nslos:\n  - name: x\n    objective: 99\n    sli:\n      raw:\n        error_ratio_query: x', "'sloth.slos[0].sli' must be an SLI with events.error_query"],
    [SLOTH.replace('objective: 99.9', 'objective: 100'), "'objective' must be a percentage between 0 and 100"],
    [SLOTH.replace('[{{.window}}]))\n        total', '[5m]))\n        total'), "'indicator.errors' must be a PromQL query with a {{.window}} placeholder"],
    ['version: [', "'sloth' must be valid YAML"],
  ])('rejects bad specs (%#)', (text, message) => {
    expect(() => Slo.fromSloth(newChart(), 'S', text, { namespace: 'monitoring' })).toThrow(message);
  });
});

describe('OpenSLO v1', () => {
  it('reads a ratioMetric SLO with a rolling window', () => {
    const [d] = parseOpenSlo(OPENSLO);
    expect(d).toMatchObject({ name: 'inference-availability', service: 'inference', objective: 99.9, period: '28d', labels: { team: 'ml-platform' } });
    const [slo] = Slo.fromOpenSlo(newChart(), 'O', OPENSLO, { namespace: 'monitoring' });
    expect(slo.period.toPrometheus()).toBe('28d');
    expect(slo.windows.map((w) => w.factor)).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    const base = slo.rules.renderGroups()[0].rules as Array<Record<string, string>>;
    expect(base[0].expr).toBe('(sum(rate(model_requests_total[5m])) - sum(rate(model_requests_total{code!~"5.."}[5m])))');
  });

  it.each([
    [OPENSLO.replace('Occurrences', 'Timeslices'), "'openslo[0].spec.budgetingMethod' must be 'Occurrences'"],
    [OPENSLO.replace('isRolling: true', 'isRolling: false'), "'openslo[0].spec.timeWindow[0]' must be a rolling window"],
    [OPENSLO.replace('target: 0.999', 'target: 1.5'), "'objective' must be a percentage between 0 and 100, exclusive (for example 99.9), got 150"],
    [OPENSLO.replace('apiVersion: openslo/v1\nkind: SLO', 'apiVersion: openslo/v1alpha\nkind: SLO'), "'openslo[0].apiVersion' must be 'openslo/v1'"],
    ['apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: x', "'openslo' must be YAML with at least one document of kind SLO"],
  ])('rejects bad documents (%#)', (text, message) => {
    expect(() => Slo.fromOpenSlo(newChart(), 'O', text, { namespace: 'monitoring' })).toThrow(message);
  });
});

describeWithTool('promtool', 'imported SLOs under promtool', (promtool) => {
  it('pass promtool check rules', () => {
    const chart = newChart();
    const slos = [...Slo.fromSloth(chart, 'S', SLOTH, { namespace: 'monitoring' }), ...Slo.fromOpenSlo(chart, 'O', OPENSLO, { namespace: 'monitoring' })];
    const r = promtoolCheckRules(promtool, slos.flatMap((s) => s.rules.renderGroups()));
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
