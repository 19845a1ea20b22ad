import { MonitoringPlatform, seedPlatform } from '../../lib/index.js';
import { requireInt, requireNumber, show, ValidationError } from '../../lib/core/errors.js';
import { grafana, metrics, routing, workload } from '../bad-input/fixtures.js';
import { newChart } from '../support/synth.js';
import { seedGeoIpDatabase } from '../../examples/seed-platform/region.js';

/** Seed platform props with one part changed (copied only along the path, so classes survive). */
function platformWith(path: string, value: unknown): () => MonitoringPlatform {
  const set = (o: any, [k, ...rest]: string[]): any => ({ ...o, [k]: rest.length ? set(o?.[k] ?? {}, rest) : value });
  return () => new MonitoringPlatform(newChart(), 'P', set(seedPlatform('us-east-1', { geoipDatabase: seedGeoIpDatabase() }), path.split('.')));
}

function message(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    expect((e as Error).name).toBe('ValidationError');
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('errors name the full prop path through MonitoringPlatform', () => {
  it.each<[string, unknown, string]>([
    ['metrics.replicas', 0, "'metrics.replicas' must be an integer between 1 and 100, got 0"],
    ['grafana.replicas', -1, "'grafana.replicas' must be an integer between 1 and 100, got -1"],
    ['logging.retention', 'forever', "'logging.retention' must be a duration"],
    ['alerting.groupBy', 'alertname', "'alerting.groupBy' must be a list of label names like ['alertname', 'namespace'], or ['...'], got 'alertname'"],
    ['metrics.image', 42, "'metrics.image' must be a string, got 42"],
    ['logging.labels', 'app', "'logging.labels' must be a list of labels, got 'app'"],
    ['analytics.slos', 'x', "'analytics.slos' must be a list, got 'x'"],
    ['response.eventBus', { replicas: 'three' }, "'response.eventBus.replicas' must be an integer between 1 and 9, got 'three'"],
    ['ai.gpu', 'yes', "'ai.gpu' must be props or false, got 'yes'"],
    ['thresholds', 'x', "'thresholds' must be a list of ThresholdAlert, got 'x'"],
    ['metrics', undefined, "'metrics' must be MetricsStack props, got nothing"],
  ])('%s = %j', (path, value, expected) => {
    expect(message(platformWith(path, value))).toContain(expected);
  });

  it('an SLO inside analytics is named by its index', () => {
    const props = seedPlatform('us-east-1', { geoipDatabase: seedGeoIpDatabase() });
    const slos = [{ ...props.analytics!.slos![0], windows: [] }];
    expect(message(() => new MonitoringPlatform(newChart(), 'P', { ...props, analytics: { ...props.analytics, slos } })))
      .toMatch(/^'analytics\.slos\[0\]\.windows' must be a non-empty list/);
  });
});

describe('values and bounds are shown as a user wrote them', () => {
  it.each<[unknown, string]>([[NaN, 'not a number'], [Infinity, 'an infinite number'], [-Infinity, 'a negative infinite number'], [undefined, 'nothing'], [5e-324, 'a number too close to zero']])('%p', (v, shown) => {
    expect(show(v)).toContain(shown);
    expect(show(v)).not.toMatch(/NaN|Infinity|e-324|undefined/);
  });

  it('no NaN, Infinity, 5e-324 or undefined in requireInt/requireNumber messages', () => {
    for (const v of [NaN, Infinity, -Infinity, undefined, 5e-324, 'x']) {
      for (const check of [() => requireInt('n', v as number, 1), () => requireNumber('n', v as number, Number.MIN_VALUE, 1), () => requireNumber('n', v as number)]) {
        let msg = '';
        try { check(); } catch (e) { msg = (e as ValidationError).message; }
        if (msg) expect(msg).not.toMatch(/NaN|Infinity|e-324|undefined/);
      }
    }
    expect(() => requireNumber('capacity', 0, Number.MIN_VALUE, 1)).toThrow("'capacity' must be a finite number > 0 and <= 1, got 0");
  });
});

describe('derived names that would exceed Kubernetes limits are rejected at construction, naming the prop', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['Grafana headless Service', () => grafana({ name: 'g'.repeat(60) })(), /^'name' must be at most 54 characters: the headless Service 'g+-headless'/],
    ['Prometheus StatefulSet', () => metrics(newChart(), { name: 'p'.repeat(45) }), /^'name' must be at most 41 characters: the StatefulSet pods' controller-revision-hash label 'prometheus-p+-<hash>'/],
    ['Alertmanager StatefulSet', () => routing({ name: 'a'.repeat(45) }), /^'name' must be at most 39 characters/],
    ['a StatefulSet Workload', () => workload({ kind: 'StatefulSet', name: 'w'.repeat(60) })(), /^'name' must be at most 52 characters/],
    ['through the platform', platformWith('grafana.name', 'g'.repeat(60)), /^'grafana\.name' must be at most 54 characters/],
  ])('%s', (_what, build, expected) => {
    expect(message(build)).toMatch(expected);
  });

  it('names at the limit are accepted', () => {
    expect(() => grafana({ name: 'g'.repeat(54) })()).not.toThrow();
    expect(() => metrics(newChart(), { name: 'p'.repeat(41) })).not.toThrow();
  });
});
