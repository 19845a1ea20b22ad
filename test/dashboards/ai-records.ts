import { metricNames } from '../../lib/core/promql.js';
import { ModelServer, ModelServingMonitor, VectorStore, VectorStoreMonitor } from '../../lib/ai/index.js';
import type { ModelServerPreset, VectorStoreKind } from '../../lib/dashboards/index.js';
import { newChart, synth } from '../support/synth.js';

/**
 * What the lib/ai recording rules produce for one model-server preset or vector-store kind alone:
 * its rules synthesized in a chart of their own, and the series that exist when only that
 * server's (or store's) metrics are scraped. The dashboards' source tables are checked against it.
 */
export interface AiSource {
  /** Record name -> expressions, from the synthesized PrometheusRules. */
  readonly records: Map<string, string[]>;
  /** Scraped series (histograms expanded) plus every record whose inputs exist. */
  readonly produced: Set<string>;
}

const SCRAPER = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
const API_KEY = { name: 'pinecone-api-key', key: 'api-key' };

export const MODEL_SERVERS: Record<ModelServerPreset, () => ModelServer> = {
  seed: () => ModelServer.seed(), vllm: () => ModelServer.vllm(), triton: () => ModelServer.triton(), kserve: () => ModelServer.kserve(),
};

export const VECTOR_STORES: Record<VectorStoreKind, () => VectorStore> = {
  'pinecone-serverless': () => VectorStore.pineconeServerless({ projectId: 'p', apiKey: API_KEY }),
  'pinecone-pods': () => VectorStore.pineconePods({ environment: 'us-east-1-aws', apiKey: API_KEY }),
  'self-hosted': () => VectorStore.selfHosted({ namespace: 'vectors', selector: { 'app.kubernetes.io/name': 'vector-store' } }),
};

function source(build: (chart: ReturnType<typeof newChart>) => string[]): AiSource {
  const chart = newChart();
  // Histogram base names expose _bucket, _sum and _count; counters and gauges their own name.
  const scraped = build(chart).flatMap((m) => [m, `${m}_bucket`, `${m}_sum`, `${m}_count`]);
  const records = new Map<string, string[]>();
  for (const rule of synth(chart).filter((o) => o.kind === 'PrometheusRule')) {
    for (const group of rule.spec.groups) {
      for (const r of group.rules.filter((x: { record?: string }) => x.record)) records.set(r.record, [...(records.get(r.record) ?? []), r.expr]);
    }
  }
  const produced = new Set([...scraped, 'up']);
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, exprs] of records) {
      if (!produced.has(name) && exprs.some((e) => metricNames(e).every((m) => produced.has(m)))) { produced.add(name); grew = true; }
    }
  }
  return { records, produced };
}

export function modelServerSource(preset: ModelServerPreset): AiSource {
  return source((chart) => {
    const server = MODEL_SERVERS[preset]();
    new ModelServingMonitor(chart, 'Model', { name: 'model', namespace: 'serving', server, scraper: SCRAPER });
    return server.metricNames;
  });
}

export function vectorStoreSource(kind: VectorStoreKind): AiSource {
  return source((chart) => {
    const store = VECTOR_STORES[kind]();
    new VectorStoreMonitor(chart, 'Store', { name: 'store', store, scraper: SCRAPER });
    return store.metricNames;
  });
}

/** Every record name the lib/ai model-serving and vector-store rules write, over all presets and kinds. */
export function allAiRecords(): string[] {
  const sources = [...Object.keys(MODEL_SERVERS).map((p) => modelServerSource(p as ModelServerPreset)),
    ...Object.keys(VECTOR_STORES).map((k) => vectorStoreSource(k as VectorStoreKind))];
  return [...new Set(sources.flatMap((s) => [...s.records.keys()]))].sort();
}
