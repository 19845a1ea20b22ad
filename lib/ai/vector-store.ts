import { invalid } from '../core/errors.js';
import { requireSecretKeyRef, SecretKeyRef } from '../core/secrets.js';
import { validateDnsLabel, validateK8sLabels, validatePromLabelName } from '../core/names.js';
import { Duration, Size } from '../core/units.js';
import { checkOptions, validatePort } from './common.js';


export interface PineconeServerlessOptions {
  /** Pinecone project ID (console: project settings). */
  readonly projectId: string;
  /** Secret key holding a Pinecone API key of the project, used for discovery and scraping. */
  readonly apiKey: SecretKeyRef;
  /** How often the index list is refreshed. @default '1m' (Pinecone's documented value) */
  readonly refreshInterval?: Duration | string;
  /** Storage the plan allows; enables the capacity alert (serverless reports bytes, not fullness). @default - no capacity alert */
  readonly storageLimit?: Size | string;
  /**
   * Which serverless metric names the rules read. Pinecone renamed its serverless counters on
   * 19 Dec 2025 (`*_total` -> `*_count`, `*_duration_total` -> `*_duration_sum`) and emitted
   * the `legacy` names only until 30 Jun 2026 (docs/ai.md); `legacy` is for a Prometheus fed
   * by an older export. @default 'current'
   */
  readonly metricNames?: PineconeMetricNames;
}

/** The two documented generations of Pinecone serverless metric names. */
export type PineconeMetricNames = 'current' | 'legacy';

/** Pinecone serverless metric names by role; gauges kept their names in the rename. */
export interface PineconeServerlessMetrics {
  /** gauge: records in the index */
  readonly records: string;
  /** gauge: index size in bytes */
  readonly storageBytes: string;
  /** counter: query requests */
  readonly queries: string;
  /** counter: milliseconds spent processing query requests */
  readonly queryDurationMs: string;
  /** counters: upsert, update and delete requests */
  readonly writes: readonly string[];
  /** counter: read units consumed */
  readonly readUnits: string;
  /** counter: write units consumed */
  readonly writeUnits: string;
}

/** Verified in Pinecone's "Monitor performance" page, tabs "Metrics" and "Metric name migration" (docs/ai.md). */
export const PINECONE_SERVERLESS_METRICS: Record<PineconeMetricNames, PineconeServerlessMetrics> = {
  current: {
    records: 'pinecone_db_record_total', storageBytes: 'pinecone_db_storage_size_bytes',
    queries: 'pinecone_db_op_query_count', queryDurationMs: 'pinecone_db_op_query_duration_sum',
    writes: ['pinecone_db_op_upsert_count', 'pinecone_db_op_update_count', 'pinecone_db_op_delete_count'],
    readUnits: 'pinecone_db_read_unit_count', writeUnits: 'pinecone_db_write_unit_count',
  },
  legacy: {
    records: 'pinecone_db_record_total', storageBytes: 'pinecone_db_storage_size_bytes',
    queries: 'pinecone_db_op_query_total', queryDurationMs: 'pinecone_db_op_query_duration_total',
    writes: ['pinecone_db_op_upsert_total', 'pinecone_db_op_update_total', 'pinecone_db_op_delete_total'],
    readUnits: 'pinecone_db_read_unit_total', writeUnits: 'pinecone_db_write_unit_total',
  },
};

export interface PineconePodOptions {
  /** Pinecone environment of the pod-based indexes (for example `us-east-1-aws`). */
  readonly environment: string;
  /** Secret key holding a Pinecone API key of the project. */
  readonly apiKey: SecretKeyRef;
}

export interface SelfHostedVectorStoreOptions {
  /** Namespace of the vector store pods. */
  readonly namespace: string;
  /** Labels of the vector store pods. */
  readonly selector: Record<string, string>;
  /** Container port (name or number) serving metrics. @default 'metrics' */
  readonly port?: string | number;
  /** @default '/metrics' */
  readonly path?: string;
  /** Label naming the index in the exporter's series. @default 'index' (seed contract) */
  readonly indexLabel?: string;
}

/** What a {@link VectorStoreMonitor} watches: Pinecone (serverless or pod-based) or a self-hosted store. */
export class VectorStore {
  /**
   * Pinecone serverless indexes of one project: Prometheus HTTP service discovery on
   * `api.pinecone.io/prometheus/projects/<id>/metrics/discovery` with a bearer token. Pinecone
   * serverless exports counters only: latency is an average (duration / count), not a quantile.
   */
  static pineconeServerless(options: PineconeServerlessOptions): VectorStore {
    checkOptions('pineconeServerless', options, ['projectId', 'apiKey', 'refreshInterval', 'storageLimit', 'metricNames']);
    if (typeof options?.projectId !== 'string' || !/^[A-Za-z0-9-]+$/.test(options.projectId)) {
      throw invalid('pineconeServerless.projectId', options?.projectId, 'a Pinecone project ID of letters, digits and "-"');
    }
    const refresh = Duration.of(options.refreshInterval ?? '1m', 'pineconeServerless.refreshInterval');
    // Prometheus refuses an HTTP SD refresh interval of 0 when it loads the generated config.
    if (refresh.milliseconds === 0) throw invalid('pineconeServerless.refreshInterval', options.refreshInterval, 'a duration above 0s');
    const names = options.metricNames ?? 'current';
    if (!Object.hasOwn(PINECONE_SERVERLESS_METRICS, names)) throw invalid('pineconeServerless.metricNames', options.metricNames, "'current' or 'legacy'");
    return new VectorStore('pinecone-serverless', {
      projectId: options.projectId,
      apiKey: secretRef('pineconeServerless.apiKey', options.apiKey),
      refreshInterval: refresh,
      storageLimit: options.storageLimit === undefined ? undefined : Size.of(options.storageLimit, 'pineconeServerless.storageLimit'),
      metricNames: names,
      metrics: PINECONE_SERVERLESS_METRICS[names],
    });
  }

  /**
   * Pinecone pod-based indexes of one environment: `metrics.<environment>.pinecone.io/metrics`.
   * Pod-based indexes are legacy: Pinecone's current Prometheus page covers serverless only (docs/ai.md).
   */
  static pineconePods(options: PineconePodOptions): VectorStore {
    checkOptions('pineconePods', options, ['environment', 'apiKey']);
    if (typeof options?.environment !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(options.environment)) {
      throw invalid('pineconePods.environment', options?.environment, 'a Pinecone environment like us-east-1-aws');
    }
    return new VectorStore('pinecone-pods', { environment: options.environment, apiKey: secretRef('pineconePods.apiKey', options.apiKey) });
  }

  /** A self-hosted vector store exporting the seed's `vector_*` metrics (section 1.1). */
  static selfHosted(options: SelfHostedVectorStoreOptions): VectorStore {
    checkOptions('selfHosted', options, ['namespace', 'selector', 'port', 'path', 'indexLabel']);
    return new VectorStore('self-hosted', {
      namespace: validateDnsLabel(options?.namespace, 'selfHosted.namespace'),
      selector: validateK8sLabels(options?.selector ?? {}, 'selfHosted.selector'),
      port: validatePort('selfHosted.port', options?.port ?? 'metrics'),
      path: options?.path ?? '/metrics',
      indexLabel: validatePromLabelName(options?.indexLabel ?? 'index', 'selfHosted.indexLabel'),
    });
  }

  private constructor(readonly kind: 'pinecone-serverless' | 'pinecone-pods' | 'self-hosted', readonly options: Record<string, any>) {
    if (kind === 'self-hosted' && Object.keys(options.selector).length === 0) {
      throw invalid('selfHosted.selector', options.selector, 'at least one label of the vector store pods');
    }
  }

  /** Metric names read by this store (for the README table and tests). */
  get metricNames(): string[] {
    if (this.kind !== 'pinecone-serverless') return METRICS[this.kind];
    const m: PineconeServerlessMetrics = this.options.metrics;
    return [m.records, m.storageBytes, m.queries, m.queryDurationMs, ...m.writes, m.readUnits, m.writeUnits];
  }
}

const METRICS: Record<Exclude<VectorStore['kind'], 'pinecone-serverless'>, string[]> = {
  'pinecone-pods': ['pinecone_vector_count', 'pinecone_request_count_total', 'pinecone_request_error_count_total', 'pinecone_request_latency_seconds', 'pinecone_index_fullness'],
  'self-hosted': ['vector_index_operations_total', 'vector_query_latency_seconds', 'vector_cache_hits_total', 'vector_cache_requests_total'],
};

function secretRef(prop: string, ref: SecretKeyRef | undefined): SecretKeyRef {
  // A string or `{ value }` here is most likely the key itself: the shared check never repeats it.
  return requireSecretKeyRef(prop, ref, 'the Pinecone API key');
}
