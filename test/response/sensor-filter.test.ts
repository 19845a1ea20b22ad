// The Sensor of each rule must start its workflow for exactly the alerts the rule names: firing
// notifications of its own alert with its own rule label, nothing else.
import { AutomationRule } from '../../lib/response/index.js';
import { sensorDataFilters } from '../../lib/response/automation-rule.js';
import { find, synth } from '../support/synth.js';
import { seedResponse } from './fixture.js';
import { matches, notification } from './argo-filter.js';

describe('Sensor filters', () => {
  const { chart, response } = seedResponse();
  const objects = synth(chart);
  const rules = response.automationRules;

  it('are the filters the Sensor objects carry', () => {
    for (const rule of rules) {
      const sensor = find(objects, 'Sensor', rule.sensorName);
      expect(sensor.spec.dependencies[0].filters.data).toEqual(sensorDataFilters(rule.alertName, rule.name));
      expect(sensor.spec.dependencies[0]).toMatchObject({ eventSourceName: 'alertmanager', eventName: 'alerts' });
    }
  });

  const filtersOf = (rule: AutomationRule) => find(objects, 'Sensor', rule.sensorName).spec.dependencies[0].filters.data;
  const labels = (rule: AutomationRule, extra: Record<string, string> = {}) => ({
    alertname: rule.alertName, automation_rule: rule.name, severity: 'critical', incident_class: 'high', namespace: 'ai-serving', ...extra,
  });

  it('match a firing notification of the rule\'s own alert', () => {
    for (const rule of rules) {
      expect(matches(filtersOf(rule), notification('firing', [labels(rule)]))).toBe(true);
      expect(matches(filtersOf(rule), notification('firing', [labels(rule, { pod: 'model-serving-abc-1' }), labels(rule)]))).toBe(true);
    }
  });

  it('match no other alert, no resolved notification and no look-alike', () => {
    const [memory, latency] = rules;
    const cases: Array<[AutomationRule, ReturnType<typeof notification>]> = [
      [memory, notification('resolved', [labels(memory)])],
      [memory, notification('firing', [labels(latency)])],
      [latency, notification('firing', [labels(memory)])],
      [memory, notification('firing', [labels(memory, { alertname: `${memory.alertName}Extra` })])],
      [memory, notification('firing', [labels(memory, { alertname: `X${memory.alertName}` })])],
      [memory, notification('firing', [labels(memory, { automation_rule: 'high-latency' })])],
      [memory, notification('firing', [{ alertname: memory.alertName }])],
      [memory, notification('firing', [labels(memory, { alertname: 'HighMemoryUsage' })])],
      [memory, notification('firing', [])],
    ];
    for (const [rule, payload] of cases) expect([rule.name, payload, matches(filtersOf(rule), payload)]).toEqual([rule.name, payload, false]);
  });

  it('pass the alert fingerprint to the workflow as the incident id', () => {
    const trigger = find(objects, 'Sensor', rules[0].sensorName).spec.triggers[0];
    expect(trigger.template.argoWorkflow.parameters).toEqual([
      { src: { dependencyName: 'alert', dataKey: 'body.alerts.0.fingerprint' }, dest: 'spec.arguments.parameters.0.value' },
    ]);
  });
});
