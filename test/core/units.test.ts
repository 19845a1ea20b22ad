import fc from 'fast-check';
import { Duration, Size } from '../../lib/index.js';

describe('Duration', () => {
  it.each([
    ['15s', 15_000], ['5m', 300_000], ['30d', 30 * 86_400_000], ['365d', 365 * 86_400_000],
    ['1h30m', 5_400_000], ['500ms', 500], ['1w', 7 * 86_400_000], ['1y', 365 * 86_400_000],
  ])('parses %s', (text, ms) => {
    expect(Duration.parse(text).milliseconds).toBe(ms);
  });

  it('renders for Prometheus and Go', () => {
    expect(Duration.parse('30d').toPrometheus()).toBe('30d');
    expect(Duration.parse('30d').toGo()).toBe('720h');
    expect(Duration.parse('90s').toPrometheus()).toBe('1m30s');
    expect(Duration.parse('1w').toPrometheus()).toBe('7d');
  });

  it('compares', () => {
    expect(Duration.parse('10s').isShorterThan(Duration.parse('15s'))).toBe(true);
    expect(Duration.parse('1h').compare(Duration.parse('60m'))).toBe(0);
  });

  it.each(['30 days', '', '5', 'm5', '1.5h', '5M', '-5m', '1m1h'])('rejects %p with the prop name', (bad) => {
    expect(() => Duration.parse(bad, 'retention')).toThrow(/'retention' must be a duration like 15s, 5m, 1h30m or 30d, got/);
  });

  it('round-trips any duration through its Prometheus form (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400 }), (secs) => {
      const d = Duration.seconds(secs);
      expect(Duration.parse(d.toPrometheus()).milliseconds).toBe(d.milliseconds);
    }));
  });

  it('orders like the numbers it holds (property)', () => {
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e9), (a, b) => {
      expect(Duration.millis(a).compare(Duration.millis(b))).toBe(Math.sign(a - b));
    }));
  });

  it('rejects garbage (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      fc.pre(!/^(\d+(y|w|d|h|m|s|ms))+$/.test(s));
      expect(() => Duration.parse(s)).toThrow(/must be a duration/);
    }));
  });
});

describe('Size', () => {
  it.each([
    ['100GB', 100 * 2 ** 30], ['500GiB', 500 * 2 ** 30], ['512MB', 512 * 2 ** 20], ['1.5MB', 1.5 * 2 ** 20], ['10B', 10],
  ])('parses %s', (text, bytes) => {
    expect(Size.parse(text).bytes).toBe(bytes);
  });

  it('renders for Prometheus and Kubernetes', () => {
    expect(Size.parse('100GB').toPrometheus()).toBe('100GB');
    expect(Size.parse('500GiB').toKubernetes()).toBe('500Gi');
    expect(Size.parse('1536MB').toPrometheus()).toBe('1536MB');
    expect(Size.parse('100GB').times(1.25).toKubernetesGi()).toBe('125Gi');
  });

  it.each(['100 gigabytes', '100', 'GB', '-1GB', '1.0000001B'])('rejects %p', (bad) => {
    expect(() => Size.parse(bad, 'retentionSize')).toThrow(/'retentionSize' must be/);
  });

  it('round-trips (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 45 }), (bytes) => {
      expect(Size.parse(Size.bytes(bytes).toPrometheus()).bytes).toBe(bytes);
    }));
  });

  it('orders (property)', () => {
    fc.assert(fc.property(fc.nat(2 ** 40), fc.nat(2 ** 40), (a, b) => {
      expect(Size.bytes(a).compare(Size.bytes(b))).toBe(Math.sign(a - b));
    }));
  });
});
