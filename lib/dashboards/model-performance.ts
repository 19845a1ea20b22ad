import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MODEL_RECORDS } from '../ai/model-serving-rules.js';
import type { VectorStore } from '../ai/vector-store.js';
import { VECTOR_INDEX_RECORDS, VECTOR_STORE_LABEL } from '../ai/vector-store-monitor.js';
import {
  BY_MODEL, BY_REGION, datasourceVariable, distribution, graph, labelVariable, levels, namespaceVariable, newDashboard,
  modelVariable, PanelOptions, promQuery as q, regionVariable, row, single,
} from './panels.js';

/** A `ModelServer` preset (`ModelServer.preset`). */
export type ModelServerPreset = 'seed' | 'vllm' | 'triton' | 'kserve';
/** A `VectorStore` kind (`VectorStore.kind`). */
export type VectorStoreKind = VectorStore['kind'];

/** What feeds a panel of the Model Performance dashboard. */
export interface PanelSources {
  /** Model servers, by `ModelServer` preset, whose series the panel shows. */
  readonly modelServers?: readonly ModelServerPreset[];
  /** Vector stores, by `VectorStore` kind, whose series the panel shows. */
  readonly vectorStores?: readonly VectorStoreKind[];
  /** The panel reads the seed exporter's raw series, not a recording rule (no preset normalises them). */
  readonly seedExporterOnly?: boolean;
}

const ALL_SERVERS: readonly ModelServerPreset[] = ['seed', 'vllm', 'triton', 'kserve'];
const ERROR_SERVERS: readonly ModelServerPreset[] = ['seed', 'vllm', 'triton'];
const HISTOGRAM_SERVERS: readonly ModelServerPreset[] = ['seed', 'vllm', 'kserve'];
const FACTORIES: Record<ModelServerPreset | VectorStoreKind, string> = {
  seed: 'ModelServer.seed()', vllm: 'ModelServer.vllm()', triton: 'ModelServer.triton()', kserve: 'ModelServer.kserve()',
  'pinecone-serverless': 'VectorStore.pineconeServerless()', 'pinecone-pods': 'VectorStore.pineconePods()', 'self-hosted': 'VectorStore.selfHosted()',
};

/**
 * The panels of the Model Performance dashboard and what feeds each: most read the normalised
 * recording rules of lib/ai (`MODEL_RECORDS`, `VECTOR_INDEX_RECORDS`), written for every
 * `ModelServer` preset or `VectorStore` kind that exports the underlying series; each panel's
 * description names its sources. Tests prove the table against the rules each preset records.
 */
export const MODEL_PERFORMANCE_PANELS: Readonly<Record<string, PanelSources>> = {
  'Requests per second': { modelServers: ALL_SERVERS },
  'Error rate': { modelServers: ERROR_SERVERS },
  'p95 inference latency': { modelServers: HISTOGRAM_SERVERS },
  'Model memory': { modelServers: ['seed'] },
  'Inference latency percentiles': { modelServers: ALL_SERVERS },
  'Inference latency distribution': { modelServers: ['seed'], seedExporterOnly: true },
  'Batch processing time': { modelServers: ['seed', 'triton'] },
  'Batches per second': { modelServers: ['seed'], seedExporterOnly: true },
  'Error rate by model': { modelServers: ERROR_SERVERS },
  'Requests by model': { modelServers: ALL_SERVERS },
  'Throughput by model': { modelServers: ALL_SERVERS },
  'Model memory consumption': { modelServers: ['seed'] },
  'Vector query latency': { vectorStores: ['pinecone-serverless', 'pinecone-pods', 'self-hosted'] },
  'Vector index size': { vectorStores: ['pinecone-serverless', 'pinecone-pods'] },
  'Vector operations': { vectorStores: ['pinecone-serverless', 'pinecone-pods', 'self-hosted'] },
  'Vector cache hit ratio': { vectorStores: ['self-hosted'] },
};

/** "Sources: ..." for a panel's description, from {@link MODEL_PERFORMANCE_PANELS}. */
function sources(title: string): string {
  const s = MODEL_PERFORMANCE_PANELS[title];
  if (s.seedExporterOnly) return 'Sources: ModelServer.seed() only (raw seed-exporter series, which no preset normalises).';
  if (s.modelServers?.length === ALL_SERVERS.length) return 'Sources: every ModelServer preset (seed, vllm, triton, kserve).';
  return `Sources: ${[...s.modelServers ?? [], ...s.vectorStores ?? []].map((k) => FACTORIES[k]).join(', ')}.`;
}

/** Panel options with the panel's sources appended to its description. */
function sourced(title: string, o: PanelOptions = {}): PanelOptions {
  return { ...o, description: o.description ? `${o.description} ${sources(title)}` : sources(title) };
}

const RATE = '[$__rate_interval]';
// Seed 1.2 thresholds: p95 latency 100/200 ms, error ratio 1%/5%.
const LATENCY = levels(0.1, 0.2);
const ERRORS = levels(0.01, 0.05);
const M = MODEL_RECORDS;
const V = VECTOR_INDEX_RECORDS;
const BY_STORE = `${BY_REGION}, ${VECTOR_STORE_LABEL}=~"$vector_store"`;
const STORE_INDEX = `${VECTOR_STORE_LABEL}, index`;
const STORE_LEGEND = `{{${VECTOR_STORE_LABEL}}}/{{index}}`;

const rec = (record: string, matchers = BY_MODEL) => `${record}{${matchers}}`;
/** Errors over the requests of servers that count errors (KServe has no error counter and would dilute the ratio). */
const errorRatio = (agg: string) =>
  `${agg} (${rec(M.requestErrors)}) / ${agg} (${rec(M.requests)} and ${rec(M.requestErrors)})`;

/**
 * Seed 3.2 "Model Performance Metrics": inference latency, batch processing, errors, throughput
 * and the vector stores, from the normalised recording rules, so it works for any preset.
 */
export function modelPerformanceDashboard(): dashboard.DashboardBuilder {
  return newDashboard('ai-model-performance', 'Model Performance Metrics',
    'Model serving and vector stores: latency, batch processing, errors and throughput (seed 1.1, 2.2 and 3.2), '
      + `from the normalised recording rules (${M.requests}, ..., ${V.queries}, ...) of every ModelServer preset and VectorStore kind.`)
    .withVariable(datasourceVariable())
    .withVariable(regionVariable())
    .withVariable(namespaceVariable())
    .withVariable(modelVariable())
    .withVariable(labelVariable(VECTOR_STORE_LABEL, 'Vector store', `label_values(${V.queries}, ${VECTOR_STORE_LABEL})`))
    .withPanel(single('Requests per second', q(`sum(${rec(M.requests)})`), sourced('Requests per second', { unit: 'reqps' })))
    .withPanel(single('Error rate', q(errorRatio('sum')), sourced('Error rate', { unit: 'percentunit', thresholds: ERRORS })))
    .withPanel(single('p95 inference latency', q(`max(${rec(M.latencyQuantile('p95'))})`), sourced('p95 inference latency', {
      unit: 's', thresholds: LATENCY, description: 'The highest p95 of the selected models (quantiles do not add up).',
    })))
    .withPanel(single('Model memory', q(`max(${rec(M.memoryBytes)})`), sourced('Model memory', { unit: 'bytes', description: 'The largest model-server pod.' })))
    .withRow(row('Inference latency'))
    .withPanel(graph('Inference latency percentiles', [
      ...(['p50', 'p95', 'p99'] as const).map((p) => q(`max by (model) (${rec(M.latencyQuantile(p))})`, `{{model}} ${p}`)),
      q(`max by (model) (${rec(M.latencyAverage('5m'))})`, '{{model}} avg'),
    ], sourced('Inference latency percentiles', {
      unit: 's', thresholds: LATENCY,
      description: 'HighInferenceLatency fires when p95 exceeds 100 ms (warning) or 200 ms (critical) for 1m. Triton exports no latency histogram: its models show the average only.',
    })))
    .withPanel(distribution('Inference latency distribution', q(
      `sum by (le) (increase(model_inference_latency_seconds_bucket{${BY_MODEL}}${RATE}))`, '{{le}}', 'heatmap',
    ), sourced('Inference latency distribution', { unit: 's', description: 'Bucket counts of model_inference_latency_seconds.' })))
    .withRow(row('Batch processing'))
    .withPanel(graph('Batch processing time', [
      q(`max by (model) (${rec(M.batchP95)})`, '{{model}} p95'),
      q(`max by (model) (${rec(M.batchAverage)})`, '{{model}} avg'),
    ], sourced('Batch processing time', { unit: 's', description: 'p95 from the seed exporter\'s histogram; Triton (compute time per execution) has the average only.' })))
    .withPanel(graph('Batches per second', [
      q(`sum by (model) (rate(model_batch_processing_seconds_count{${BY_MODEL}}${RATE}))`, '{{model}}'),
    ], sourced('Batches per second', { unit: 'ops', description: 'Seed 2.1 batch processing rate.' })))
    .withRow(row('Errors and throughput'))
    .withPanel(graph('Error rate by model', [q(errorRatio('sum by (model)'), '{{model}}')], sourced('Error rate by model', {
      unit: 'percentunit', thresholds: ERRORS, description: 'HighErrorRate fires above 1% (warning) or 5% (critical) for 5m.',
    })))
    .withPanel(graph('Requests by model', [
      q(`sum by (model) (${rec(M.requests)})`, '{{model}} requests'),
      q(`sum by (model) (${rec(M.requestErrors)})`, '{{model}} errors'),
    ], sourced('Requests by model', { unit: 'reqps', description: 'Errors: every preset but KServe, which exports no error counter.' })))
    .withPanel(graph('Throughput by model', [
      q(`sum by (model, throughput_unit) (${rec(M.throughput)})`, '{{model}} {{throughput_unit}}'),
    ], sourced('Throughput by model', { unit: 'short', description: 'Work per second in each server\'s unit (label throughput_unit): requests (seed exporter), generated tokens (vLLM), inferences (Triton), predictions (KServe).' })))
    .withPanel(graph('Model memory consumption', [
      q(`max by (model) (${rec(M.memoryBytes)})`, '{{model}}'),
    ], sourced('Model memory consumption', { unit: 'bytes', description: 'The largest pod serving each model.' })))
    .withRow(row('Vector store'))
    .withPanel(graph('Vector query latency', [
      q(`max by (${STORE_INDEX}) (${rec(V.queryLatencyQuantile('p95'), BY_STORE)})`, `${STORE_LEGEND} p95`),
      q(`max by (${STORE_INDEX}) (${rec(V.queryLatencyAverage, BY_STORE)})`, `${STORE_LEGEND} avg`),
    ], sourced('Vector query latency', { unit: 's', description: 'p95 where the store exports a histogram; Pinecone serverless exports counters only: its average.' })))
    .withPanel(graph('Vector index size', [
      q(`sum by (${STORE_INDEX}) (${rec(V.records, BY_STORE)})`, STORE_LEGEND),
    ], sourced('Vector index size', { unit: 'short', description: 'Records (vectors) per index (seed 2.2 index size).' })))
    .withPanel(graph('Vector operations', [
      q(`sum by (${STORE_INDEX}) (${rec(V.queries, BY_STORE)})`, `${STORE_LEGEND} queries`),
      q(`sum by (${STORE_INDEX}) (${rec(V.writes, BY_STORE)})`, `${STORE_LEGEND} writes`),
      q(`sum by (${STORE_INDEX}) (${rec(V.operations, BY_STORE)})`, `${STORE_LEGEND} index operations`),
    ], sourced('Vector operations', { unit: 'ops', description: 'Queries (every store), writes (Pinecone: seed 2.2 update rate) and index operations (self-hosted: seed 1.1 indexing rate).' })))
    .withPanel(graph('Vector cache hit ratio', [
      q(`max by (${STORE_INDEX}) (${rec(V.cacheHitRatio, BY_STORE)})`, STORE_LEGEND),
    ], sourced('Vector cache hit ratio', { unit: 'percentunit', min: 0, max: 1, description: 'Pinecone exports no cache metric.' })));
}
