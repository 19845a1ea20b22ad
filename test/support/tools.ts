import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

const HINT = {
  promtool: 'install it with: apt-get install -y prometheus',
  amtool: 'install it with: apt-get install -y prometheus-alertmanager',
  prometheus: 'install it with: apt-get install -y prometheus',
  alertmanager: 'install it with: apt-get install -y prometheus-alertmanager',
} as const;

export type Tool = keyof typeof HINT;

const BINARY: Record<Tool, string[]> = {
  promtool: ['promtool'],
  amtool: ['amtool'],
  prometheus: ['prometheus'],
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
};

/**
 * Path of a Prometheus tool, or undefined (the caller skips with the install hint).
 * With REQUIRE_PROMTOOL=1 (set by .ci/run) a missing tool fails the run instead.
 */
export function findTool(tool: Tool): string | undefined {
  for (const name of BINARY[tool]) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  if (process.env.REQUIRE_PROMTOOL === '1') {
    throw new Error(`${tool} is required (REQUIRE_PROMTOOL=1) but not installed; ${HINT[tool]}`);
  }
  console.warn(`skipping ${tool} tests: ${tool} not found; ${HINT[tool]}`);
  return undefined;
}

/** `describe` when the tool exists, `describe.skip` otherwise. */
export function describeWithTool(tool: Tool, name: string, fn: (bin: string) => void): void {
  const bin = findTool(tool);
  if (bin) describe(name, () => fn(bin));
  else describe.skip(`${name} (${tool} missing: ${HINT[tool]})`, () => { it('skipped', () => undefined); });
}

export function tmpDir(prefix = 'aimon-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Result of running a tool: exit status and combined output. */
export interface ToolResult { status: number; output: string }

export function run(bin: string, args: string[], cwd?: string): ToolResult {
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd, timeout: 60_000 });
  return { status: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Writes rule groups as a Prometheus rule file and runs `promtool check rules` on it. */
export function promtoolCheckRules(promtool: string, groups: unknown[]): ToolResult {
  const dir = tmpDir();
  const file = path.join(dir, 'rules.yaml');
  fs.writeFileSync(file, stringify({ groups }));
  return run(promtool, ['check', 'rules', file]);
}

/**
 * Runs `promtool test rules` with the given rule groups and a unit-test document
 * (`evaluation_interval`, `tests`); `rule_files` is filled in. promtool evaluates groups in map
 * order (random) unless `group_eval_order` is given, which makes tests of chained recording
 * rules flaky, so the groups are evaluated in the order they are listed unless the test says.
 */
export function promtoolTestRules(promtool: string, groups: unknown[], testDoc: Record<string, unknown>): ToolResult {
  const dir = tmpDir();
  const order = (groups as Array<{ name: string }>).map((g) => g.name);
  fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups }));
  fs.writeFileSync(path.join(dir, 'test.yaml'), stringify({ rule_files: ['rules.yaml'], group_eval_order: order, ...testDoc }));
  return run(promtool, ['test', 'rules', 'test.yaml'], dir);
}

export { execFileSync };
