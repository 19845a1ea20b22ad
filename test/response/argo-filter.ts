import type { DataFilter } from '../../lib/response/automation-rule.js';

/**
 * Argo Events' data filter evaluation (pkg/sensors/dependencies/filter.go, filterData) for the
 * subset the library emits: gjson dot paths with numeric array indexes, `string` filters whose
 * values are unanchored Go regular expressions, `and` between filters, a missing path is false.
 */
function gjson(data: unknown, path: string): unknown {
  return path.split('.').reduce<any>((node, key) => {
    if (node === undefined || node === null) return undefined;
    if (Array.isArray(node)) return /^\d+$/.test(key) ? node[Number(key)] : undefined;
    return typeof node === 'object' ? node[key] : undefined;
  }, data);
}

export function matches(filters: readonly DataFilter[], event: { header?: unknown; body: unknown }): boolean {
  return filters.every((f) => {
    const v = gjson(event, f.path);
    if (v === undefined) return false;
    if (f.type !== 'string') throw new Error(`filter type ${f.type} not modelled`);
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    const hit = f.value.some((re) => new RegExp(re).test(text));
    return f.comparator === '!=' ? !hit : hit;
  });
}

/** An Alertmanager webhook payload (version 4) as the webhook EventSource wraps it. */
export function notification(status: 'firing' | 'resolved', alerts: Array<Record<string, string>>): { header: unknown; body: unknown } {
  return {
    header: { 'Content-Type': ['application/json'] },
    body: {
      version: '4',
      groupKey: '{}:{alertname="x"}',
      truncatedAlerts: 0,
      status,
      receiver: 'incident-response',
      groupLabels: { alertname: alerts[0]?.alertname ?? '' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager:9093',
      alerts: alerts.map((labels, i) => ({
        status, labels, annotations: {}, startsAt: '2026-11-24T06:00:00Z', endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus/graph', fingerprint: `0123456789abcde${i}`,
      })),
    },
  };
}
