import { Duration, Size } from '../core/units.js';
import { LokiStorage } from './loki-storage.js';

/** Ports every Loki component listens on. */
export const LOKI_HTTP_PORT = 3100;
export const LOKI_GRPC_PORT = 9095;
export const LOKI_GOSSIP_PORT = 7946;
/** Data directory (WAL, TSDB index, compactor scratch), on a volume. */
export const LOKI_DATA_DIR = '/var/loki';
/** Ring tokens of an ingester, on its persistent volume: a restarted ingester takes back its ranges. */
export const LOKI_TOKENS_FILE = `${LOKI_DATA_DIR}/tokens`;
/** Longest query (`limits_config.query_timeout`); the HTTP server timeouts are above it. */
export const LOKI_QUERY_TIMEOUT = '1m';
export const LOKI_HTTP_TIMEOUT = '2m';
/** Rules directory read by the ruler; the tenant is `fake` because authentication is off. */
export const LOKI_RULES_DIR = '/etc/loki/rules';
export const LOKI_TENANT = 'fake';
/** Uid of the Grafana datasource the ruler's alert links open (Grafana's DATASOURCE_UIDS.loki). */
export const LOKI_DATASOURCE_UID = 'loki';

/** Chunk settings (Loki `ingester` block). */
export interface ChunkSettings {
  /** Compressed target size of a chunk (`chunk_target_size`). */
  readonly targetSize: Size;
  /** Flush a chunk that received nothing for this long (`chunk_idle_period`). */
  readonly idlePeriod: Duration;
  /** Flush a chunk at this age whatever its size (`max_chunk_age`). */
  readonly maxAge: Duration;
}

/** Typed input of the Loki configuration; every key written below was checked against the Loki 3.5 reference. */
export interface LokiConfigInput {
  readonly storage: LokiStorage;
  readonly replicationFactor: number;
  /** memberlist `join_members`; without them the ring is in memory (one replica). */
  readonly memberlistJoin?: string[];
  readonly retention: Duration;
  /** Per-tenant ingestion rate (per second). */
  readonly ingestionRate: Size;
  readonly ingestionBurst: Size;
  /** Active streams per tenant across all ingesters (`max_global_streams_per_user`). */
  readonly maxStreams: number;
  readonly chunks: ChunkSettings;
  /** First day of the v13/TSDB schema period (YYYY-MM-DD, in the past). */
  readonly schemaFrom: string;
  /** Distributed mode: where components find each other. */
  readonly addresses?: { readonly scheduler: string; readonly indexGateway: string; readonly compactor: string; readonly querier: string };
  /** Ruler settings; absent when no component runs the ruler. */
  readonly ruler?: { readonly alertmanagerUrl?: string; readonly externalUrl: string; readonly evaluationInterval: Duration; readonly sharding: boolean };
}

function mib(size: Size): number {
  return Math.round(size.mebibytes * 1000) / 1000;
}

/** Builds Loki's configuration object (serialized with the `yaml` package by the caller). */
export function buildLokiConfig(c: LokiConfigInput): Record<string, unknown> {
  const s3 = c.storage.s3;
  const objectStore = c.storage.isObjectStore ? 's3' : 'filesystem';
  const usesSecret = Boolean(c.storage.credentials?.secretRef);
  const storage = s3
    ? {
      s3: {
        bucketnames: s3.bucket,
        region: s3.region,
        ...(s3.endpoint ? { endpoint: s3.endpoint, s3forcepathstyle: true } : {}),
        // Expanded from the Secret-backed environment (`-config.expand-env=true`); never inlined.
        ...(usesSecret ? { access_key_id: '${AWS_ACCESS_KEY_ID}', secret_access_key: '${AWS_SECRET_ACCESS_KEY}' } : {}),
        sse: { type: c.storage.encryption, ...(s3.kmsKeyId ? { kms_key_id: s3.kmsKeyId } : {}) },
      },
    }
    : { filesystem: { chunks_directory: `${LOKI_DATA_DIR}/chunks`, rules_directory: `${LOKI_DATA_DIR}/rules-store` } };
  const ring = { kvstore: { store: c.memberlistJoin ? 'memberlist' : 'inmemory' } };
  return {
    auth_enabled: false,
    server: {
      http_listen_port: LOKI_HTTP_PORT,
      grpc_listen_port: LOKI_GRPC_PORT,
      log_level: 'info',
      // The 30s defaults would cut a query off before its own 1m timeout.
      http_server_read_timeout: LOKI_HTTP_TIMEOUT,
      http_server_write_timeout: LOKI_HTTP_TIMEOUT,
    },
    common: {
      path_prefix: LOKI_DATA_DIR,
      replication_factor: c.replicationFactor,
      ring,
      storage,
      ...(c.addresses ? { compactor_address: c.addresses.compactor } : {}),
    },
    ...(c.memberlistJoin ? { memberlist: { join_members: c.memberlistJoin, bind_port: LOKI_GOSSIP_PORT } } : {}),
    schema_config: {
      configs: [{ from: c.schemaFrom, store: 'tsdb', object_store: objectStore, schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }],
    },
    storage_config: {
      tsdb_shipper: {
        active_index_directory: `${LOKI_DATA_DIR}/tsdb-index`,
        cache_location: `${LOKI_DATA_DIR}/tsdb-cache`,
        ...(c.addresses ? { index_gateway_client: { server_address: c.addresses.indexGateway } } : {}),
      },
    },
    ingester: {
      chunk_target_size: c.chunks.targetSize.bytes,
      chunk_encoding: 'snappy',
      chunk_idle_period: c.chunks.idlePeriod.toGo(),
      max_chunk_age: c.chunks.maxAge.toGo(),
      // The WAL lives on the ingester's persistent volume: acknowledged logs survive a crash.
      wal: { enabled: true, dir: `${LOKI_DATA_DIR}/wal` },
      // Saved on the volume at shutdown and reloaded at start: the restarted ingester owns the
      // same token ranges, so its WAL replay serves the streams the ring still maps to it.
      lifecycler: { tokens_file_path: LOKI_TOKENS_FILE },
    },
    limits_config: {
      retention_period: c.retention.toGo(),
      ingestion_rate_strategy: 'global',
      ingestion_rate_mb: mib(c.ingestionRate),
      ingestion_burst_size_mb: mib(c.ingestionBurst),
      reject_old_samples: true,
      reject_old_samples_max_age: '168h',
      max_query_lookback: c.retention.toGo(),
      allow_structured_metadata: true,
      // Explicit (Loki's default is 5000): see LokiProps.maxStreams for the sizing.
      max_global_streams_per_user: c.maxStreams,
      max_streams_per_user: 0,
      query_timeout: LOKI_QUERY_TIMEOUT,
    },
    // Repeated dashboard queries are answered from an in-process cache of split results.
    query_range: {
      cache_results: true,
      results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: 100, ttl: '1h' } } },
    },
    compactor: {
      working_directory: `${LOKI_DATA_DIR}/compactor`,
      compaction_interval: '10m',
      retention_enabled: true,
      retention_delete_delay: '2h',
      delete_request_store: objectStore,
    },
    ...(c.addresses
      ? {
        frontend: {
          scheduler_address: c.addresses.scheduler,
          // Live tailing is proxied to the queriers.
          tail_proxy_url: c.addresses.querier,
          compress_responses: true,
          log_queries_longer_than: '10s',
        },
        frontend_worker: { scheduler_address: c.addresses.scheduler },
        query_scheduler: { max_outstanding_requests_per_tenant: 32000 },
        index_gateway: { mode: 'simple' },
      }
      : {}),
    ...(c.ruler
      ? {
        ruler: {
          storage: { type: 'local', local: { directory: LOKI_RULES_DIR } },
          rule_path: `${LOKI_DATA_DIR}/rules-tmp`,
          // The default is relative to the working directory, which is read-only.
          wal: { dir: `${LOKI_DATA_DIR}/ruler-wal` },
          evaluation_interval: c.ruler.evaluationInterval.toGo(),
          enable_api: true,
          // Alerts' generator URL: Grafana's Explore on the Loki datasource (absolute links).
          external_url: c.ruler.externalUrl,
          datasource_uid: LOKI_DATASOURCE_UID,
          // Several rulers split the rule groups between them instead of each evaluating all.
          ...(c.ruler.sharding ? { enable_sharding: true } : {}),
          ring,
          ...(c.ruler.alertmanagerUrl ? { alertmanager_url: c.ruler.alertmanagerUrl } : {}),
        },
      }
      : {}),
    // The platform runs offline: no usage reports to grafana.com.
    analytics: { reporting_enabled: false },
  };
}
