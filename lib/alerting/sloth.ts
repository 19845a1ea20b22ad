import { parse } from 'yaml';
import { invalid, ValidationError } from '../core/errors.js';
import { SloIndicator } from './slo-indicator.js';
import type { SloDefinition } from './slo.js';
import type { BurnRateSeverity } from './slo-windows.js';

/** Reads YAML, naming the source in the error instead of leaking a parser stack. */
export function readYaml(text: string, prop: string): unknown {
  if (typeof text !== 'string') throw invalid(prop, text, 'a YAML document');
  try {
    return parse(text);
  } catch (e) {
    throw new ValidationError(`'${prop}' must be valid YAML, got a parse error: ${(e as Error).message.split('\n')[0]}`);
  }
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a Sloth `prometheus/v1` spec (https://sloth.dev, pkg/prometheus/api/v1): `service`,
 * `labels`, and `slos[]` with `name`, `objective`, `description`, `sli.events.error_query` /
 * `total_query` (with `{{.window}}`) and `alerting` (`labels`, `page_alert.disable`,
 * `ticket_alert.disable`). Sloth's `sli.raw` and `sli.plugin` are not supported: they are
 * refused with a message rather than ignored. SLO names become `<service>-<name>` like Sloth's ids.
 */
export function parseSloth(text: string): SloDefinition[] {
  const doc = readYaml(text, 'sloth');
  if (!isObject(doc)) throw invalid('sloth', doc, "a Sloth spec with 'version', 'service' and 'slos'");
  if (doc.version !== 'prometheus/v1') throw invalid('sloth.version', doc.version, "'prometheus/v1'");
  if (typeof doc.service !== 'string' || doc.service === '') throw invalid('sloth.service', doc.service, 'a service name');
  if (!Array.isArray(doc.slos) || doc.slos.length === 0) throw invalid('sloth.slos', doc.slos, 'a non-empty list of SLOs');
  const common = stringMap(doc.labels, 'sloth.labels');
  return doc.slos.map((slo: unknown, i: number): SloDefinition => {
    const prop = `sloth.slos[${i}]`;
    if (!isObject(slo)) throw invalid(prop, slo, 'an SLO object');
    if (typeof slo.name !== 'string') throw invalid(`${prop}.name`, slo.name, 'an SLO name');
    const events = slo.sli?.events;
    if (!isObject(events)) {
      throw invalid(`${prop}.sli`, slo.sli, 'an SLI with events.error_query and events.total_query (sli.raw and sli.plugin are not supported)');
    }
    const alerting = isObject(slo.alerting) ? slo.alerting : {};
    const alertOn: BurnRateSeverity[] = [];
    if (alerting.page_alert?.disable !== true) alertOn.push('page');
    if (alerting.ticket_alert?.disable !== true) alertOn.push('ticket');
    return {
      name: `${doc.service}-${slo.name}`,
      service: doc.service,
      objective: slo.objective,
      indicator: SloIndicator.ratio({ errors: events.error_query, total: events.total_query }),
      alertOn,
      labels: { ...common, ...stringMap(slo.labels, `${prop}.labels`), ...stringMap(alerting.labels, `${prop}.alerting.labels`) },
      ...(typeof slo.description === 'string' ? { description: slo.description } : {}),
    };
  });
}

/** A map of string labels from YAML (numbers and booleans are stringified, like Sloth does). */
export function stringMap(v: unknown, prop: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw invalid(prop, v, 'a map of labels');
  return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, String(val)]));
}
