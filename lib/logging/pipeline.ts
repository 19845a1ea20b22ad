import type { IVolume } from 'kubernetes-models/v1/Volume';
import { invalid, requireArray } from '../core/errors.js';
import { validatePromLabelName } from '../core/names.js';
import { validateLogQL } from '../core/logql.js';
import { validateRe2 } from '../core/regex.js';

/**
 * Stream labels the log agent can attach to Kubernetes pod logs, and the discovery meta
 * labels they come from. When several sources are listed, the first non-empty one wins.
 * Seed 3.1 asks for `app`, `namespace`, `container_name` and `pod_name`.
 */
export const POD_LOG_LABELS = {
  app: ['__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_label_app'],
  namespace: ['__meta_kubernetes_namespace'],
  container_name: ['__meta_kubernetes_pod_container_name'],
  pod_name: ['__meta_kubernetes_pod_name'],
  node_name: ['__meta_kubernetes_pod_node_name'],
  // Service context: the service a pod belongs to, by the usual Kubernetes label conventions.
  service_name: [
    '__meta_kubernetes_pod_label_app_kubernetes_io_name',
    '__meta_kubernetes_pod_label_app',
    '__meta_kubernetes_pod_label_k8s_app',
    '__meta_kubernetes_pod_container_name',
  ],
  workload: ['__meta_kubernetes_pod_controller_name'],
} as const;

export type PodLogLabel = keyof typeof POD_LOG_LABELS;

/** The seed's labels (3.1) plus `service_name` (service context). */
export const DEFAULT_POD_LOG_LABELS: readonly PodLogLabel[] = ['app', 'namespace', 'container_name', 'pod_name', 'service_name'];

/** Validates the label list: each a known label, no duplicates. */
export function validatePodLogLabels(labels: readonly string[], prop = 'labels'): PodLogLabel[] {
  const known = Object.keys(POD_LOG_LABELS);
  requireArray(prop, labels, 'a list of labels').forEach((l, i) => {
    if (!known.includes(l)) throw invalid(`${prop}[${i}]`, l, `one of ${known.join(', ')}`);
    if (labels.indexOf(l) !== i) throw invalid(`${prop}[${i}]`, l, 'listed once');
  });
  return [...labels] as PodLogLabel[];
}

/**
 * Throws unless `selector` is a LogQL stream selector like `{namespace="ai", app=~"model-.*"}`:
 * Grafana's LogQL grammar, RE2 regexes, a matcher that excludes the empty value (lib/core/logql.ts).
 */
export function validateStreamSelector(selector: string, prop = 'selector'): string {
  if (typeof selector !== 'string') throw invalid(prop, selector, 'a LogQL stream selector like {namespace="ai-serving"}');
  return validateLogQL(selector.trim(), prop, 'selector');
}

/** Regexes of the agents (Go programs) are RE2: compiled with re2js, see lib/core/regex.ts. */
export { validateRe2 } from '../core/regex.js';

/** Look up the IP in a parsed field against the agent's GeoIP database. */
export interface GeoIpLookup {
  /** Extracted field holding the client IP (for example `client_ip`). */
  readonly sourceField: string;
}

/** Where a parser reads the entry's time from (instead of the time the agent read the line). */
export interface TimestampField {
  /** Extracted field holding the time. */
  readonly field: string;
  /** Go reference-time layout, e.g. `Jan _2 15:04:05` (RFC 3164) or `RFC3339`. */
  readonly format: string;
}

interface ParserSpec {
  readonly kind: 'json' | 'regex';
  readonly name: string;
  readonly selector?: string;
  readonly expressions?: Record<string, string>;
  readonly expression?: string;
  readonly labels: string[];
  readonly structuredMetadata?: string[];
  readonly timestamp?: TimestampField;
  readonly geoip?: GeoIpLookup;
}

export interface JsonParserProps {
  /** Streams to parse. @default - every pod log stream */
  readonly selector?: string;
  /**
   * Extracted name -> JMESPath expression. Every field must have an effect: a label, structured
   * metadata, the timestamp or the GeoIP source.
   * @default { level: 'level', trace_id: 'trace_id', request_id: 'request_id' }
   */
  readonly fields?: Record<string, string>;
  /** Extracted fields promoted to stream labels (keep them low-cardinality). @default ['level'] */
  readonly labels?: string[];
  /**
   * Extracted fields attached to each line as Loki structured metadata: queryable
   * (`| trace_id="..."`) without creating streams, for high-cardinality values.
   * @default - the fields other than the labels, the timestamp and the GeoIP source
   */
  readonly structuredMetadata?: string[];
  /** Take the entry's time from a field. @default - the time the agent read the line */
  readonly timestamp?: TimestampField;
  /** Enrich with geographic location from an IP field (needs the agent's GeoIP database). */
  readonly geoip?: GeoIpLookup;
}

export interface RegexParserProps {
  /** Name of the format, used in component names. */
  readonly name: string;
  /** RE2 expression with named groups, `(?P<name>...)` or `(?<name>...)`. */
  readonly expression: string;
  /** Streams to parse. @default - every pod log stream */
  readonly selector?: string;
  /** Named groups promoted to stream labels. @default - none */
  readonly labels?: string[];
  /** Named groups attached as structured metadata. @default - none */
  readonly structuredMetadata?: string[];
  /** @default - the time the agent read the line */
  readonly timestamp?: TimestampField;
  readonly geoip?: GeoIpLookup;
}

/** Go layout of the RFC 3164 timestamp (no year: the agents take the current one). */
export const SYSLOG_TIME_FORMAT = 'Jan _2 15:04:05';

/** RFC 3164 lines as written to /var/log/syslog and /var/log/messages. */
export const SYSLOG_LINE = '^(?P<timestamp>[A-Z][a-z]{2} [ 0-9]\\d [0-9:]{8}) (?P<hostname>\\S+) (?P<program>[^\\[:\\s]+)(?:\\[(?P<pid>\\d+)\\])?: (?P<message>.*)$';

/** Job label of the host syslog files (the syslog parser applies to them). */
export const SYSLOG_JOB = 'system/syslog';

/**
 * A log format the agent parses (seed 3.1 "JSON structured logs", "Syslog format",
 * "Custom application logs"). Variants are built with the static factories.
 */
export class LogParser {
  /** JSON structured logs: extracts fields with JMESPath. */
  static json(props: JsonParserProps = {}): LogParser {
    const expressions = props.fields ?? { level: 'level', trace_id: 'trace_id', request_id: 'request_id' };
    const labels = props.labels ?? (Object.keys(expressions).includes('level') ? ['level'] : []);
    const claimed = [...labels, props.timestamp?.field, props.geoip?.sourceField];
    return new LogParser({
      kind: 'json',
      name: 'json',
      selector: props.selector,
      expressions,
      labels,
      structuredMetadata: props.structuredMetadata ?? Object.keys(expressions).filter((f) => !claimed.includes(f)),
      timestamp: props.timestamp,
      geoip: props.geoip,
    });
  }

  /**
   * Syslog (RFC 3164) lines of the host's syslog files: the line's own time becomes the
   * entry's, the program a label, the process id structured metadata.
   */
  static syslog(): LogParser {
    return new LogParser({
      kind: 'regex', name: 'syslog', selector: `{job="${SYSLOG_JOB}"}`, expression: SYSLOG_LINE,
      labels: ['program'], structuredMetadata: ['pid'], timestamp: { field: 'timestamp', format: SYSLOG_TIME_FORMAT },
    });
  }

  /** A custom application format described by an RE2 regular expression. */
  static regex(props: RegexParserProps): LogParser {
    return new LogParser({
      kind: 'regex', name: props.name, selector: props.selector, expression: props.expression, labels: props.labels ?? [],
      structuredMetadata: props.structuredMetadata, timestamp: props.timestamp, geoip: props.geoip,
    });
  }

  readonly kind: 'json' | 'regex';
  readonly name: string;
  readonly selector?: string;
  readonly expressions: Record<string, string>;
  readonly expression?: string;
  readonly labels: string[];
  readonly structuredMetadata: string[];
  readonly timestamp?: TimestampField;
  readonly geoip?: GeoIpLookup;

  private constructor(spec: ParserSpec) {
    const prop = `parsers.${spec.name}`;
    if (!/^[a-z][a-z0-9_]*$/.test(spec.name)) throw invalid(`${prop}.name`, spec.name, 'a lowercase identifier like nginx_access');
    this.kind = spec.kind;
    this.name = spec.name;
    this.selector = spec.selector === undefined ? undefined : validateStreamSelector(spec.selector, `${prop}.selector`);
    this.expressions = spec.expressions ?? {};
    let fields = Object.keys(this.expressions);
    if (spec.kind === 'regex') {
      fields = validateRe2(spec.expression!, `${prop}.expression`);
      if (fields.length === 0) throw invalid(`${prop}.expression`, spec.expression, 'an RE2 expression with at least one named group (?P<name>...)');
      // Both agents are Go programs; write named groups in Go's (?P<name>) form.
      this.expression = spec.expression!.replace(/\(\?</g, '(?P<');
    }
    fields.forEach((f) => validatePromLabelName(f, `${prop}.fields.${f}`));
    this.labels = spec.labels;
    requireArray(`${prop}.labels`, this.labels).forEach((l, i) => {
      validatePromLabelName(l, `${prop}.labels[${i}]`);
      if (!fields.includes(l)) throw invalid(`${prop}.labels[${i}]`, l, `a field the parser extracts (${fields.join(', ')})`);
    });
    this.structuredMetadata = spec.structuredMetadata ?? [];
    this.structuredMetadata.forEach((f, i) => {
      if (!fields.includes(f)) throw invalid(`${prop}.structuredMetadata[${i}]`, f, `a field the parser extracts (${fields.join(', ')})`);
      if (this.labels.includes(f)) throw invalid(`${prop}.structuredMetadata[${i}]`, f, 'a field that is not also a label');
    });
    if (spec.timestamp) {
      if (!fields.includes(spec.timestamp.field)) throw invalid(`${prop}.timestamp.field`, spec.timestamp.field, `a field the parser extracts (${fields.join(', ')})`);
      if (typeof spec.timestamp.format !== 'string' || spec.timestamp.format.trim() === '') throw invalid(`${prop}.timestamp.format`, spec.timestamp.format, 'a Go time layout like RFC3339');
      this.timestamp = spec.timestamp;
    }
    if (spec.geoip) {
      if (!fields.includes(spec.geoip.sourceField)) {
        throw invalid(`${prop}.geoip.sourceField`, spec.geoip.sourceField, `a field the parser extracts (${fields.join(', ')})`);
      }
      this.geoip = spec.geoip;
    }
    // A JSON field nothing uses would be parsed for nothing (regex groups are needed to match).
    if (spec.kind === 'json') {
      const used = new Set([...this.labels, ...this.structuredMetadata, this.timestamp?.field, this.geoip?.sourceField]);
      const unused = fields.filter((f) => !used.has(f));
      if (unused.length) throw invalid(`${prop}.fields`, unused.join(', '), 'fields that each become a label, structured metadata, the timestamp or the GeoIP source');
    }
  }
}

/** MaxMind database types the agents' GeoIP stages accept. */
export type GeoIpDatabaseType = 'city' | 'country' | 'asn';

export interface GeoIpDatabaseProps {
  /** Volume holding the .mmdb file (a PVC, a CSI volume or an image volume kept up to date by the owner). */
  readonly volume: IVolume;
  /** File name inside the volume. @default 'GeoLite2-City.mmdb' */
  readonly file?: string;
  /** @default 'city' */
  readonly type?: GeoIpDatabaseType;
}

/** Where GeoIP databases are mounted in the agent container. */
export const GEOIP_MOUNT = '/etc/geoip';

/** The MaxMind database the GeoIP stages read (seed 3.1 "Geographic location"), mounted read-only. */
export class GeoIpDatabase {
  static fromVolume(props: GeoIpDatabaseProps): GeoIpDatabase {
    return new GeoIpDatabase(props);
  }
  readonly volume: IVolume;
  readonly file: string;
  readonly type: GeoIpDatabaseType;
  readonly path: string;
  private constructor(props: GeoIpDatabaseProps) {
    if (!props.volume?.name) throw invalid('geoipDatabase.volume', props.volume, 'a Kubernetes volume with a name');
    this.file = props.file ?? 'GeoLite2-City.mmdb';
    if (!/^[A-Za-z0-9._-]+\.mmdb$/.test(this.file)) throw invalid('geoipDatabase.file', this.file, 'a file name ending in .mmdb');
    this.type = props.type ?? 'city';
    if (!['city', 'country', 'asn'].includes(this.type)) throw invalid('geoipDatabase.type', this.type, "'city', 'country' or 'asn'");
    this.volume = { ...props.volume, name: 'geoip' };
    this.path = `${GEOIP_MOUNT}/${this.file}`;
  }
}

/** Label the GeoIP stages promote (country codes are few, so the label stays low-cardinality). */
export const GEOIP_LABEL = 'geoip_country_code';

/** Throws when a parser asks for GeoIP enrichment but the agent has no database. */
export function requireGeoIpDatabase(parsers: readonly LogParser[], db: GeoIpDatabase | undefined): void {
  const needing = parsers.find((p) => p.geoip);
  if (needing && !db) {
    throw invalid('geoipDatabase', db, `a GeoIpDatabase (GeoIpDatabase.fromVolume: a hostPath, image volume or ReadOnlyMany PVC holding the .mmdb file), because parser '${needing.name}' enriches with GeoIP`);
  }
}
