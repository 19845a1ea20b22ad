import { FamilyAlert, FamilyContext, RuleFamily } from './rule-family.js';

// Argo Workflows v4.1.0 (chart argo-workflows 2.0.1) and Argo Events v1.9.10, names checked
// against upstream source:
// - argoproj/argo-workflows util/telemetry/exporter_prometheus.go: the OpenTelemetry Prometheus
//   exporter runs with WithNamespace("argo_workflows"), WithoutCounterSuffixes() and
//   WithoutUnits(), so counters get no `_total` and no unit suffix; util/telemetry/builder/values.yaml
//   defines `error_count{cause}`, `total_count{phase, namespace}` (workflows entering a phase, by
//   workflow namespace) and `queue_depth_gauge{queue_name}`. Port 9090, path /metrics.
// - argoproj/argo-events metrics/metrics.go: `argo_events_events_sent_failed_total` (EventSource to
//   EventBus, by eventsource_name, event_name), `argo_events_action_failed_total` and
//   `argo_events_action_triggered_total` (Sensor triggers, by sensor_name, trigger_name), each with
//   a constant `namespace` label; served on port 7777 (`metrics`) of every EventSource and Sensor pod.

export const ARGO_GROUP = 'platform-argo';

const warn = (alert: string, forDuration: string, expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'warning', for: forDuration, expr, summary, description });

/**
 * The Argo controllers of automated response. `workflowsJob` is the `job` of the Workflows
 * controller scrape; Argo Events series are told apart by their own names, and the group's
 * `namespaces` option (default: the IncidentResponse namespace) selects workflows and sensors.
 */
export function argoRules(workflowsJob: string): RuleFamily {
  const wf = (metric: string, matchers?: string) => `${metric}{job="${workflowsJob}"${matchers ? `,${matchers}` : ''}}`;
  const triggers = (c: FamilyContext, metric: string) =>
    `sum by (namespace, sensor_name, trigger_name) (increase(${c.m(metric)}[${c.t.triggerLookbackMinutes}m]))`;
  return {
    group: ARGO_GROUP,
    thresholds: { queueDepth: 100, triggerLookbackMinutes: 60 },
    alerts: [
      warn('ArgoWorkflowsControllerErrors', '5m', () => `max by (cause) (increase(${wf('argo_workflows_error_count')}[10m])) > 0`,
        'Argo Workflows controller errors ({{ $labels.cause }})',
        'The Argo Workflows controller counted {{ $value | humanize }} {{ $labels.cause }} error(s) in 10 minutes (a panic, or a CronWorkflow it cannot submit).'),
      warn('ArgoWorkflowsFailed', '1m', (c) => `sum by (namespace) (increase(${c.m('argo_workflows_total_count', `job="${workflowsJob}",phase=~"Failed|Error"`)}[15m])) > 0`,
        'Remediation workflows fail in {{ $labels.namespace }}',
        '{{ $value | humanize }} workflow(s) in {{ $labels.namespace }} ended Failed or Error in 15 minutes: an automated remediation did not complete (its escalation alert says which).'),
      warn('ArgoWorkflowsQueueBacklog', '15m', (c) => `max by (queue_name) (${wf('argo_workflows_queue_depth_gauge')}) > ${c.t.queueDepth}`,
        'Argo Workflows queue {{ $labels.queue_name }} is backed up',
        '{{ $value }} items wait in the controller queue {{ $labels.queue_name }}: the controller does not keep up and remediations start late.'),
      { alert: 'ArgoEventsEventSendFailing', severity: 'critical', category: 'performance', for: '5m',
        expr: (c) => `sum by (namespace, eventsource_name, event_name) (increase(${c.m('argo_events_events_sent_failed_total')}[10m])) > 0`,
        summary: 'EventSource {{ $labels.eventsource_name }} cannot publish to the event bus',
        description: 'EventSource {{ $labels.namespace }}/{{ $labels.eventsource_name }} failed to send {{ $value | humanize }} {{ $labels.event_name }} event(s) to the EventBus in 10 minutes: alerts reach no Sensor and nothing is remediated.' },
      // The Sensor submits under a fixed name, so a repeat notification inside the cooldown fails
      // with AlreadyExists (automation-rule.ts) and counts as a failed action: only a lookback
      // with failures and no success at all (longer than twice the longest cooldown) is an alert.
      warn('ArgoEventsTriggerFailing', '15m', (c) => `(${triggers(c, 'argo_events_action_failed_total')} > 0) unless on (namespace, sensor_name, trigger_name) (${triggers(c, 'argo_events_action_triggered_total')} > 0)`,
        'Sensor {{ $labels.sensor_name }} fails every trigger',
        'Every action of trigger {{ $labels.trigger_name }} of Sensor {{ $labels.namespace }}/{{ $labels.sensor_name }} failed over the lookback, none succeeded: remediation workflows are not submitted.'),
    ],
  };
}
