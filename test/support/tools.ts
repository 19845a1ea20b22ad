import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

const INSTALL = 'run: bash .ci/install-prometheus-tools.sh (unpacks Prometheus 3.5 and Alertmanager 0.28.1 from Debian sid/trixie into .tools/)';

const HINT = {
  promtool: INSTALL,
  amtool: INSTALL,
  prometheus: INSTALL,
  alertmanager: INSTALL,
} as const;

export type Tool = keyof typeof HINT;

const BINARY: Record<Tool, string[]> = {
  promtool: ['promtool'],
  amtool: ['amtool'],
  prometheus: ['prometheus'],
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
};

/**
 * The versions the manifests deploy (IMAGES.prometheus v3.5.0, IMAGES.alertmanager v0.28.1). A
 * tool of another major (Prometheus) or minor (Alertmanager, still 0.x) line proves little
 * about what runs in the cluster, so it is refused rather than used.
 */
const DEPLOYED: Record<Tool, RegExp> = {
  promtool: /^3\./,
  prometheus: /^3\./,
  amtool: /^0\.28\./,
  alertmanager: /^0\.28\./,
};

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DIRS = {
  deployed: path.join(REPO, '.tools/deployed/usr/bin'),
  legacy: path.join(REPO, '.tools/legacy/usr/bin'),
};

const versions = new Map<string, string>();

/** The version a Prometheus tool prints for itself (`promtool, version 3.5.3+ds1 (...)`). */
export function toolVersion(bin: string): string {
  const cached = versions.get(bin);
  if (cached) return cached;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = /version (\d+\.\d+\.\d+)/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  const v = m ? m[1] : 'unknown';
  versions.set(bin, v);
  return v;
}

function lookup(tool: Tool, dir: string | undefined): string | undefined {
  for (const name of BINARY[tool]) {
    if (dir) {
      const p = path.join(dir, name);
      if (fs.existsSync(p)) return p;
      continue;
    }
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

function missing(what: string): undefined {
  if (process.env.REQUIRE_PROMTOOL === '1') {
    throw new Error(`${what} is required (REQUIRE_PROMTOOL=1) but not available; ${INSTALL}`);
  }
  console.warn(`skipping: ${what} not found; ${INSTALL}`);
  return undefined;
}

/**
 * Path of a Prometheus tool at the deployed version: `.tools/deployed` (made by
 * .ci/install-prometheus-tools.sh) first, then PATH. A tool of another version line fails the
 * test run (it would prove nothing about what we deploy); a missing one skips with the install
 * hint, or fails with REQUIRE_PROMTOOL=1 (set by .ci/run). The version is printed once per file.
 */
export function findTool(tool: Tool): string | undefined {
  const bin = lookup(tool, fs.existsSync(DIRS.deployed) ? DIRS.deployed : undefined) ?? lookup(tool, undefined);
  if (!bin) return missing(tool);
  const version = toolVersion(bin);
  if (!DEPLOYED[tool].test(version)) {
    throw new Error(`${tool} at ${bin} is ${version}, not the deployed version line (${DEPLOYED[tool]}); ${INSTALL}`);
  }
  announce(tool, bin, version);
  return bin;
}

/**
 * Bookworm's amtool 0.25, kept only for the compatibility promise of `alertmanagerVersion`
 * (url_file is refused below 0.26, and 0.25 really rejects it).
 */
export function findLegacyAmtool(): string | undefined {
  const bin = lookup('amtool', DIRS.legacy);
  if (!bin) return missing('amtool 0.25 (.tools/legacy)');
  const version = toolVersion(bin);
  if (!/^0\.25\./.test(version)) throw new Error(`legacy amtool at ${bin} is ${version}, expected 0.25.x`);
  announce('amtool (legacy)', bin, version);
  return bin;
}

const announced = new Set<string>();
function announce(tool: string, bin: string, version: string): void {
  if (announced.has(bin)) return;
  announced.add(bin);
  process.stdout.write(`[tools] ${tool} ${version} (${path.relative(REPO, bin)})\n`);
}

/** `describe` when the tool exists, `describe.skip` otherwise. */
export function describeWithTool(tool: Tool, name: string, fn: (bin: string) => void): void {
  const bin = findTool(tool);
  if (bin) describe(`${name} [${tool} ${toolVersion(bin)}]`, () => fn(bin));
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
