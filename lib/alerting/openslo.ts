import { parseAllDocuments } from 'yaml';
import { invalid, ValidationError } from '../core/errors.js';
import { SloIndicator } from './slo-indicator.js';
import type { SloDefinition } from './slo.js';
import { isObject, stringMap } from './sloth.js';

const WINDOW = /\{\{\s*\.window\s*\}\}/;

/**
 * Reads OpenSLO `openslo/v1` documents (https://github.com/OpenSLO/OpenSLO): every `kind: SLO`
 * with an inline `indicator` (or an `indicatorRef` to a `kind: SLI` in the same text) whose
 * `ratioMetric` has `good` or `bad` plus `total`, each a `metricSource.spec.query` for
 * Prometheus. A query with `{{.window}}` is used as written; otherwise it must be a counter
 * selector and is wrapped in `sum(rate(<query>[<window>]))`. One objective (`target` or
 * `targetPercent`), a rolling `timeWindow` and `budgetingMethod: Occurrences` are supported;
 * `Timeslices`, calendar windows and `thresholdMetric` are refused with a message.
 */
export function parseOpenSlo(text: string): SloDefinition[] {
  if (typeof text !== 'string') throw invalid('openslo', text, 'YAML text');
  const docs = parseAllDocuments(text).map((d, i) => {
    if (d.errors.length > 0) throw new ValidationError(`'openslo' must be valid YAML, got a parse error in document ${i}: ${d.errors[0].message.split('\n')[0]}`);
    return d.toJS() as unknown;
  }).filter(isObject);
  const slis = new Map<string, Record<string, any>>();
  docs.filter((d) => d.kind === 'SLI').forEach((d) => slis.set(d.metadata?.name, d.spec));
  const slos = docs.filter((d) => d.kind === 'SLO');
  if (slos.length === 0) throw invalid('openslo', text.slice(0, 60), 'YAML with at least one document of kind SLO');
  return slos.map((doc, i) => readSlo(doc, `openslo[${i}]`, slis));
}

function readSlo(doc: Record<string, any>, prop: string, slis: Map<string, Record<string, any>>): SloDefinition {
  if (doc.apiVersion !== 'openslo/v1') throw invalid(`${prop}.apiVersion`, doc.apiVersion, "'openslo/v1'");
  const name = doc.metadata?.name;
  if (typeof name !== 'string') throw invalid(`${prop}.metadata.name`, name, 'an SLO name');
  const spec = doc.spec;
  if (!isObject(spec)) throw invalid(`${prop}.spec`, spec, 'an SLO spec');
  if (spec.budgetingMethod !== 'Occurrences') {
    throw invalid(`${prop}.spec.budgetingMethod`, spec.budgetingMethod, "'Occurrences' (Timeslices cannot be expressed as event ratios)");
  }
  const sli = isObject(spec.indicator) ? spec.indicator.spec : slis.get(spec.indicatorRef);
  const ratio = isObject(sli) ? sli.ratioMetric : undefined;
  if (!isObject(ratio)) throw invalid(`${prop}.spec.indicator`, spec.indicator ?? spec.indicatorRef, 'an SLI with a ratioMetric (thresholdMetric and raw are not supported)');
  const total = query(ratio.total, `${prop}.spec.indicator.spec.ratioMetric.total`);
  let errors: string;
  if (ratio.bad !== undefined) errors = query(ratio.bad, `${prop}.spec.indicator.spec.ratioMetric.bad`);
  else if (ratio.good !== undefined) errors = `(${total} - ${query(ratio.good, `${prop}.spec.indicator.spec.ratioMetric.good`)})`;
  else throw invalid(`${prop}.spec.indicator.spec.ratioMetric`, ratio, "'good' or 'bad' besides 'total'");

  const windows = spec.timeWindow;
  let period: string | undefined;
  if (windows !== undefined) {
    if (!Array.isArray(windows) || windows.length !== 1) throw invalid(`${prop}.spec.timeWindow`, windows, 'a list of exactly one time window');
    if (windows[0].isRolling === false || windows[0].calendar !== undefined) {
      throw invalid(`${prop}.spec.timeWindow[0]`, windows[0], 'a rolling window (calendar windows are not supported)');
    }
    period = windows[0].duration;
  }
  const objectives = spec.objectives;
  if (!Array.isArray(objectives) || objectives.length !== 1) throw invalid(`${prop}.spec.objectives`, objectives, 'a list of exactly one objective');
  const o = objectives[0];
  const objective = typeof o.targetPercent === 'number' ? o.targetPercent : typeof o.target === 'number' ? o.target * 100 : o.target;
  return {
    name,
    ...(typeof spec.service === 'string' ? { service: spec.service } : {}),
    objective: typeof objective === 'number' ? Number(objective.toPrecision(12)) : objective,
    ...(period !== undefined ? { period } : {}),
    indicator: SloIndicator.ratio({ errors, total }),
    labels: stringMap(flatLabels(doc.metadata?.labels), `${prop}.metadata.labels`),
    ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
  };
}

function query(metric: unknown, prop: string): string {
  const q = isObject(metric) ? metric.metricSource?.spec?.query : undefined;
  if (typeof q !== 'string' || q.trim() === '') throw invalid(`${prop}.metricSource.spec.query`, q, 'a PromQL query');
  return WINDOW.test(q) ? q : `sum(rate(${q.trim()}[{{.window}}]))`;
}

/**
 * OpenSLO labels may be lists of values and use Kubernetes-style keys; alert labels keep the
 * keys that are valid Prometheus label names, with the first value.
 */
function flatLabels(labels: unknown): unknown {
  if (!isObject(labels)) return labels;
  return Object.fromEntries(Object.entries(labels)
    .filter(([k]) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) && !k.startsWith('__'))
    .map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}
