import { invalid } from './errors.js';

const DURATION_UNITS: ReadonlyArray<[string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];
const UNIT_MS = new Map(DURATION_UNITS);
// Prometheus' model.Duration grammar: units in descending order, each at most once.
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * A span of time, parsed from the notation Prometheus, Thanos, Loki and Alertmanager share
 * (`15s`, `5m`, `1h30m`, `30d`, `365d`), stored as whole milliseconds.
 */
/** The longest Go time.Duration, 2^63-1 ns, in whole milliseconds. */
const MAX_GO_DURATION_MS = 9_223_372_036_854;

export class Duration {
  /** Parses `15s`, `5m`, `30d`, `1h30m`; `prop` names the property in the error message. */
  static parse(value: string, prop = 'duration'): Duration {
    const m = typeof value === 'string' && value !== '' ? DURATION_RE.exec(value) : null;
    if (!m || m.slice(1).every((g) => g === undefined)) {
      throw invalid(prop, value, 'a duration like 15s, 5m, 1h30m or 30d');
    }
    let ms = 0;
    DURATION_UNITS.forEach(([, unitMs], i) => {
      if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * unitMs;
    });
    // Prometheus, Alertmanager, Thanos and Loki hold durations as Go time.Duration (int64
    // nanoseconds): anything longer is "duration out of range" for them.
    if (!(ms <= MAX_GO_DURATION_MS)) throw invalid(prop, value, 'a duration of at most 292y (the longest a Go time.Duration holds)');
    return new Duration(ms);
  }

  /** Accepts a Duration or a string; `prop` names the property in errors. */
  static of(value: Duration | string, prop = 'duration'): Duration {
    return value instanceof Duration ? value : Duration.parse(value, prop);
  }

  static millis(ms: number): Duration { return new Duration(ms); }
  static seconds(n: number): Duration { return new Duration(n * 1000); }
  static minutes(n: number): Duration { return new Duration(n * 60_000); }
  static hours(n: number): Duration { return new Duration(n * 3_600_000); }
  static days(n: number): Duration { return new Duration(n * 86_400_000); }

  private constructor(public readonly milliseconds: number) {
    if (!Number.isSafeInteger(milliseconds) || milliseconds < 0) {
      throw invalid('duration', milliseconds, 'a whole, non-negative number of milliseconds');
    }
  }

  get seconds(): number { return this.milliseconds / 1000; }

  compare(other: Duration): number { return Math.sign(this.milliseconds - other.milliseconds); }
  equals(other: Duration): boolean { return this.milliseconds === other.milliseconds; }
  isLongerThan(other: Duration): boolean { return this.milliseconds > other.milliseconds; }
  isShorterThan(other: Duration): boolean { return this.milliseconds < other.milliseconds; }
  plus(other: Duration): Duration { return new Duration(this.milliseconds + other.milliseconds); }
  times(factor: number): Duration { return new Duration(Math.round(this.milliseconds * factor)); }
  /** How many times `other` fits into this duration (may be fractional). */
  ratio(other: Duration): number { return this.milliseconds / other.milliseconds; }

  /** Prometheus/Thanos/Loki `model.Duration` form, largest units first: `30d`, `1h30m`, `0s`. */
  toPrometheus(): string {
    return this.render(DURATION_UNITS.filter(([u]) => u !== 'y' && u !== 'w'));
  }

  /** Go `time.Duration` form (no days): `720h`, `1m30s`. For Go-only fields of Loki and Thanos. */
  toGo(): string {
    return this.render(DURATION_UNITS.filter(([u]) => UNIT_MS.get(u)! <= 3_600_000));
  }

  toString(): string { return this.toPrometheus(); }

  private render(units: ReadonlyArray<[string, number]>): string {
    if (this.milliseconds === 0) return '0s';
    let rest = this.milliseconds;
    let out = '';
    for (const [unit, unitMs] of units) {
      const n = Math.floor(rest / unitMs);
      if (n > 0) {
        out += `${n}${unit}`;
        rest -= n * unitMs;
      }
    }
    return out;
  }
}

const SIZE_UNITS: ReadonlyArray<[string, number]> = [
  ['PB', 2 ** 50],
  ['TB', 2 ** 40],
  ['GB', 2 ** 30],
  ['MB', 2 ** 20],
  ['KB', 2 ** 10],
  ['B', 1],
];
const SIZE_RE = /^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)$/;

/**
 * An amount of bytes. Units follow the Prometheus ecosystem (Prometheus `retentionSize`,
 * Thanos, Loki): `KB`, `MB`, `GB`, `TB` are powers of 1024, and `KiB`...`PiB` are accepted
 * as synonyms, so `100GB` means the same to this library as to Prometheus.
 */
export class Size {
  static parse(value: string, prop = 'size'): Size {
    const m = typeof value === 'string' ? SIZE_RE.exec(value) : null;
    if (!m) throw invalid(prop, value, 'a size like 512MB, 100GB or 500GiB');
    const unit = m[2].replace('iB', 'B');
    const bytes = Number(m[1]) * new Map(SIZE_UNITS).get(unit)!;
    if (!Number.isInteger(bytes)) throw invalid(prop, value, 'a whole number of bytes');
    return new Size(bytes);
  }

  static of(value: Size | string, prop = 'size'): Size {
    return value instanceof Size ? value : Size.parse(value, prop);
  }

  static bytes(n: number): Size { return new Size(n); }
  static mebibytes(n: number): Size { return new Size(n * 2 ** 20); }
  static gibibytes(n: number): Size { return new Size(n * 2 ** 30); }

  private constructor(public readonly bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw invalid('size', bytes, 'a whole, non-negative number of bytes');
    }
  }

  compare(other: Size): number { return Math.sign(this.bytes - other.bytes); }
  equals(other: Size): boolean { return this.bytes === other.bytes; }
  isLargerThan(other: Size): boolean { return this.bytes > other.bytes; }
  times(factor: number): Size { return new Size(Math.ceil(this.bytes * factor)); }

  /** Prometheus/Thanos form in the largest unit that is exact: `100GB`, `1536MB`. */
  toPrometheus(): string {
    const [unit, unitBytes] = SIZE_UNITS.find(([, b]) => this.bytes % b === 0 && this.bytes >= b) ?? ['B', 1];
    return `${this.bytes / unitBytes}${unit}`;
  }

  /** Kubernetes quantity in the largest binary unit that is exact: `100Gi`, `1536Mi`. */
  toKubernetes(): string {
    const [unit, unitBytes] = SIZE_UNITS.find(([, b]) => this.bytes % b === 0 && this.bytes >= b) ?? ['B', 1];
    return unit === 'B' ? `${this.bytes}` : `${this.bytes / unitBytes}${unit[0]}i`;
  }

  /** Kubernetes quantity rounded up to whole GiB (for volume requests). */
  toKubernetesGi(): string {
    return `${Math.ceil(this.bytes / 2 ** 30)}Gi`;
  }

  get mebibytes(): number { return this.bytes / 2 ** 20; }

  toString(): string { return this.toPrometheus(); }
}
