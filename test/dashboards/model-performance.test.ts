import { metricNames } from '../../lib/core/promql.js';
import { MODEL_RECORDS, VECTOR_INDEX_RECORDS } from '../../lib/ai/index.js';
import { MODEL_PERFORMANCE_PANELS, modelPerformanceDashboard, ModelServerPreset, VectorStoreKind } from '../../lib/dashboards/index.js';
import { interpolateGrafanaVariables, panelQueries } from '../../lib/dashboards/queries.js';
import { allAiRecords, MODEL_SERVERS, modelServerSource, VECTOR_STORES, vectorStoreSource } from './ai-records.js';

/**
 * The Model Performance dashboard reads the normalised recording rules of lib/ai, so its panels
 * work for every model-server preset and vector-store kind; MODEL_PERFORMANCE_PANELS says which
 * feed each panel (and each panel's description repeats it). These tests hold that table to what
 * each preset's rules really produce, alone in a chart.
 */
const built = modelPerformanceDashboard().build();
const queries = panelQueries(built);
const titles = [...new Set(queries.map((q) => q.panel))];
const reads = (title: string) => queries.filter((q) => q.panel === title).map((q) => metricNames(interpolateGrafanaVariables(q.expr)));
/** A panel shows data when at least one of its queries reads only produced series. */
const fed = (title: string, produced: Set<string>) => reads(title).some((names) => names.every((m) => produced.has(m)));

const strings = (records: object) => Object.values(records).filter((r): r is string => typeof r === 'string');
const QUANTILES = ['p50', 'p95', 'p99'] as const;
const WINDOWS = ['5m', '1h'] as const;

describe('Model Performance dashboard sources', () => {
  it('lists every panel in MODEL_PERFORMANCE_PANELS and names its sources in its description', () => {
    expect([...titles].sort()).toEqual(Object.keys(MODEL_PERFORMANCE_PANELS).sort());
    for (const p of built.panels ?? []) {
      if (p.type === 'row') continue;
      expect([p.title, (p as { description?: string }).description]).toEqual([p.title, expect.stringMatching(/Sources: (every ModelServer preset|ModelServer\.|VectorStore\.)/)]);
    }
    const heatmap = (built.panels ?? []).find((p) => p.title === 'Inference latency distribution') as { description?: string };
    expect(heatmap.description).toContain('Sources: ModelServer.seed() only');
  });

  it.each(Object.keys(MODEL_SERVERS))('shows the %s preset in exactly the panels the table lists', (preset) => {
    const { produced } = modelServerSource(preset as ModelServerPreset);
    const shown = titles.filter((t) => fed(t, produced));
    const listed = titles.filter((t) => MODEL_PERFORMANCE_PANELS[t].modelServers?.includes(preset as ModelServerPreset));
    expect(shown).toEqual(listed);
  });

  it.each(Object.keys(VECTOR_STORES))('shows a %s vector store in exactly the panels the table lists', (kind) => {
    const { produced } = vectorStoreSource(kind as VectorStoreKind);
    const shown = titles.filter((t) => fed(t, produced));
    const listed = titles.filter((t) => MODEL_PERFORMANCE_PANELS[t].vectorStores?.includes(kind as VectorStoreKind));
    expect(shown).toEqual(listed);
  });

  it('shows vLLM in every panel but those without a vLLM series', () => {
    const { produced } = modelServerSource('vllm');
    const dark = titles.filter((t) => MODEL_PERFORMANCE_PANELS[t].modelServers && !fed(t, produced));
    expect(dark).toEqual(['Model memory', 'Inference latency distribution', 'Batch processing time', 'Batches per second', 'Model memory consumption']);
  });

  it('exports as MODEL_RECORDS and VECTOR_INDEX_RECORDS exactly the records lib/ai writes', () => {
    const exported = [
      ...strings(MODEL_RECORDS), ...WINDOWS.map(MODEL_RECORDS.requestErrorRatio), ...WINDOWS.map(MODEL_RECORDS.latencyAverage),
      ...QUANTILES.map(MODEL_RECORDS.latencyQuantile), ...strings(VECTOR_INDEX_RECORDS), ...QUANTILES.map(VECTOR_INDEX_RECORDS.queryLatencyQuantile),
    ];
    expect(exported.sort()).toEqual(allAiRecords());
  });

  it('reads the model variable from the normalised request rate', () => {
    const model = (built.templating?.list ?? []).find((v) => v.name === 'model') as { query?: string };
    expect(model.query).toBe(`label_values(${MODEL_RECORDS.requests}, model)`);
  });
});
