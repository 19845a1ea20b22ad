import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { validateRe2 } from '../../lib/core/regex.js';
import { ServiceMonitor } from '../../lib/metrics/index.js';
import { newChart } from '../support/synth.js';
import { describeWithTool, run, tmpDir } from '../support/tools.js';

/** Regexes and whether Go's RE2 compiles them; proven below with Prometheus' own relabel config loader. */
const TABLE: Array<[string, boolean]> = [
  ['5\\d{2}', true],
  ['(?P<ts>\\S+) (?<level>[A-Z]+)', true],
  ['(?i)^(error|warn(?s:ing)?) [[:digit:]]+ \\pL+\\z', true],
  ['a{1000}', true],
  ['', true],
  ['(', false],
  ['a{1001}', false],
  ['[[:foo:]]', false],
  ['(?=x)', false],
  ['(a)\\1', false],
  ['a**', false],
  ['\\Z', false],
];

describe('validateRe2', () => {
  it.each(TABLE)('%p -> compiles %p', (pattern, ok) => {
    if (ok) expect(() => validateRe2(pattern, 'regex', { allowEmpty: true })).not.toThrow();
    else expect(() => validateRe2(pattern, 'regex')).toThrow("'regex' must be an RE2 (Go) regular expression (error parsing regexp: ");
  });

  it('returns the named groups in order', () => {
    expect(validateRe2('(?P<ts>\\S+) (?<level>[A-Z]+)')).toEqual(['ts', 'level']);
  });

  it('checks the relabel regexes of monitors, naming the prop', () => {
    expect(() => new ServiceMonitor(newChart(), 'M', {
      name: 'm', namespace: 'apps', selector: { app: 'a' },
      endpoints: [{ port: 'metrics', metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'go_(.*' }] }],
    })).toThrow("'m.endpoints.metricRelabelings[0].regex' must be an RE2 (Go) regular expression");
  });
});

describeWithTool('promtool', 'validateRe2 agrees with promtool check config (relabel regexes)', (promtool) => {
  const dir = tmpDir('aimon-re2-');
  it.each(TABLE)('%p', (pattern, ok) => {
    const file = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(file, stringify({ scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['a:1'] }], relabel_configs: [{ source_labels: ['x'], regex: pattern, action: 'keep' }] }] }));
    const accepted = run(promtool, ['check', 'config', '--syntax-only', file]).status === 0;
    expect({ pattern, promtool: accepted }).toEqual({ pattern, promtool: ok });
  });
});
