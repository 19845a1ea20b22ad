import { stringify } from 'yaml';
import { Slo, SloIndicator } from '../../lib/alerting/analytics.js';
import { newChart } from '../../test/support/synth.js';
it('x', () => {
  const c = newChart();
  const a = new Slo(c, 'A', { name: 'availability', namespace: 'monitoring', objective: 99.99, indicator: SloIndicator.availability({ requests: 'model_requests_total', errors: 'model_request_errors_total' }) });
  const l = new Slo(c, 'L', { name: 'latency', namespace: 'monitoring', objective: 95, period: '1h', indicator: SloIndicator.latency({ histogram: 'model_inference_latency_seconds', threshold: '100ms' }) });
  console.log(stringify({ groups: [...a.rules.renderGroups(), ...l.rules.renderGroups()] }));
});
