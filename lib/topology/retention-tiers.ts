import { invalid, requireUnique, ValidationError } from '../core/errors.js';
import { Duration } from '../core/units.js';

/** The resolutions Thanos stores: raw samples and the two levels its compactor downsamples to. */
export type ThanosResolution = 'raw' | '5m' | '1h';
export const THANOS_RESOLUTIONS: readonly ThanosResolution[] = ['raw', '5m', '1h'];

/** One retention tier: how long blocks of one resolution are kept in object storage. */
export interface RetentionTier {
  /** `raw`, `5m` or `1h`; Thanos produces no other resolution (a `1m` tier is rejected). */
  readonly resolution: ThanosResolution;
  readonly retention: Duration | string;
}

export interface RetentionTiersProps {
  readonly tiers: RetentionTier[];
  /**
   * Compactor downsampling (raw -> 5m -> 1h). Without it only the raw tier may be given.
   * @default true
   */
  readonly downsampling?: boolean;
}

// Thanos' compactor refuses shorter retentions when downsampling is on (cmd/thanos/compact.go):
// a raw block is downsampled to 5m once it spans 40h, a 5m block to 1h once it spans 10 days.
const MIN_RAW = Duration.hours(40);
const MIN_5M = Duration.days(10);

/**
 * Long-term retention per resolution, checked against the compactor's rules at construction so
 * a bad tier fails `cdk8s synth`, not the compactor pod. The seed's tiers (section 8.1: 7d at
 * 10s, 30d at 1m, 365d at 1h) map to `RetentionTiers.seed()`; see docs/topology.md for why the
 * 1m tier becomes 5m.
 */
export class RetentionTiers {
  /** Seed 8.1 as Thanos can store it: raw 7d, 5m 30d (the seed asks 1m), 1h 365d. */
  static seed(): RetentionTiers {
    return new RetentionTiers({
      tiers: [
        { resolution: 'raw', retention: '7d' },
        { resolution: '5m', retention: '30d' },
        { resolution: '1h', retention: '365d' },
      ],
    });
  }

  readonly downsampling: boolean;
  /** Retention per resolution; every resolution the compactor will produce is present. */
  readonly retention: Readonly<Record<ThanosResolution, Duration>>;

  constructor(props: RetentionTiersProps) {
    this.downsampling = props.downsampling ?? true;
    if (!Array.isArray(props.tiers) || props.tiers.length === 0) {
      throw invalid('tiers', props.tiers, 'a non-empty list of { resolution, retention }');
    }
    const seen: string[] = [];
    const retention: Partial<Record<ThanosResolution, Duration>> = {};
    props.tiers.forEach((tier, i) => {
      const prop = `tiers[${i}]`;
      if (!THANOS_RESOLUTIONS.includes(tier.resolution)) {
        throw invalid(`${prop}.resolution`, tier.resolution,
          "one of raw, 5m or 1h (Thanos downsamples only to 5m and 1h; map a 1m tier to 5m, see docs/topology.md)");
      }
      requireUnique('tiers.resolution', tier.resolution, seen);
      seen.push(tier.resolution);
      const d = Duration.of(tier.retention, `${prop}.retention`);
      if (d.milliseconds === 0) throw invalid(`${prop}.retention`, tier.retention, 'a duration above 0s');
      retention[tier.resolution] = d;
    });
    const expected: ThanosResolution[] = this.downsampling ? ['raw', '5m', '1h'] : ['raw'];
    for (const r of THANOS_RESOLUTIONS) {
      if (expected.includes(r) && !retention[r]) {
        throw new ValidationError(`'tiers' must give a retention for the ${r} resolution${this.downsampling ? ' (the compactor downsamples to it; Thanos would keep it forever)' : ''}, got none`);
      }
      if (!expected.includes(r) && retention[r]) {
        throw invalid(`tiers.${r}`, retention[r]!.toPrometheus(), 'absent when downsampling is disabled (no downsampled blocks are made)');
      }
    }
    if (this.downsampling) {
      if (retention.raw!.isShorterThan(MIN_RAW)) {
        throw invalid('tiers.raw', retention.raw!.toPrometheus(), 'at least 40h when downsampling is on (Thanos makes 5m blocks from raw blocks of 40h)');
      }
      if (retention['5m']!.isShorterThan(MIN_5M)) {
        throw invalid('tiers.5m', retention['5m']!.toPrometheus(), 'at least 10d when downsampling is on (Thanos makes 1h blocks from 5m blocks of 10 days)');
      }
    }
    this.retention = retention as Record<ThanosResolution, Duration>;
  }

  /** The longest tier: data older than this is gone from every resolution. */
  get longest(): Duration {
    return Object.values(this.retention).reduce((a, b) => (b.isLongerThan(a) ? b : a));
  }

  /** Whole days of the longest tier, for bucket lifecycle expiry (object age never exceeds data age). */
  get longestDays(): number {
    return Math.ceil(this.longest.milliseconds / 86_400_000);
  }

  /** The compactor's retention and downsampling flags. */
  compactorArgs(): string[] {
    const flags = (Object.entries(this.retention) as Array<[ThanosResolution, Duration]>)
      .map(([res, d]) => `--retention.resolution-${res}=${d.toPrometheus()}`);
    return this.downsampling ? flags : [...flags, '--downsampling.disable'];
  }
}
