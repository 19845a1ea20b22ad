// `npm run bench`: what a user of `cdk8s synth` feels. Every figure is a fresh process of the
// bundled app (`npm run build:app`): cold wall time (Node start, module loading, construction,
// validation of every object, YAML written to disk, both regions) and peak RSS, plus the warm
// in-process time of the same synthesis. The floor, `node -e "import('cdk8s')"`, is measured
// in the same rounds, alternating with the cases, so a busy machine moves both alike. The app
// runs with the V8 code cache and the PromQL verdicts its previous run left (as `cdk8s synth` does
// from its second run); the seed is also run without either, and with the code cache but every
// PromQL expression checked again. CPU time (user + system) is given next to wall time. Prints a
// Markdown table of medians and spreads (min-max) and exits non-zero when a target is missed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CASES } from './cases.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const APP = 'dist-lib/app/bench-case.mjs';
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'aimon-bench-'));

interface Run { ms: number; rssMiB: number; cpuMs: number; objects?: number; warmMs?: number }

/** Runs `node args` to completion; wall time from the parent, peak RSS reported by the child. */
function node(args: string[], env: Record<string, string> = {}): Run {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, ...env } });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  const report = line.startsWith('{') ? JSON.parse(line) : {};
  return { ms, rssMiB: report.peakRssMiB ?? NaN, cpuMs: report.cpuMs ?? NaN, objects: report.objects, warmMs: report.ms };
}

const floorArgs = ['-e', "import('cdk8s').then(() => { const u = process.resourceUsage(); process.stdout.write(JSON.stringify({ peakRssMiB: u.maxRSS / 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); })"];
const floor: Run[] = [];
const cold = CASES.map(() => [] as Run[]);
const warm = CASES.map(() => [] as Run[]);
// The app runs with the V8 code cache and the PromQL verdicts that its previous run wrote
// (scripts/code-cache-launcher.mjs, scripts/promql-verdict-cache.mjs). The seed is also measured
// without either, as the first run after a build, and with the code cache but no verdicts kept
// (every PromQL expression checked again).
const uncached: Run[] = [];
const allChecked: Run[] = [];
const dropCaches = () => {
  for (const f of fs.readdirSync(path.dirname(APP))) {
    if (f.endsWith('.v8cache') || f.endsWith('.promql-verdicts.json')) fs.rmSync(path.join(path.dirname(APP), f));
  }
};
for (let round = 0; round < RUNS; round++) {
  CASES.forEach((c, i) => {
    floor.push(node(floorArgs));
    if (c.services === 0) {
      dropCaches();
      uncached.push(node([APP, '0', path.join(out, 'uncached')]));
      allChecked.push(node([APP, '0', path.join(out, 'all-checked')], { AI_MONITORING_PROMQL_CACHE: 'off' }));
    }
    cold[i].push(node([APP, String(c.services), path.join(out, `cold-${i}`)]));
    warm[i].push(node([APP, String(c.services), path.join(out, `warm-${i}`), 'warm']));
  });
}
fs.rmSync(out, { recursive: true, force: true });

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const spread = (xs: number[], f = (x: number) => x.toFixed(0)) => `${f(Math.min(...xs))}-${f(Math.max(...xs))}`;
const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (${spread(xs)})`;
const floorMs = median(floor.map((r) => r.ms));
const floorCpu = median(floor.map((r) => r.cpuMs));

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
console.log(`Median of ${RUNS} runs (min-max); each case alternates with the floor.\n`);
// CPU time (user + system of the process, all threads) is printed too: on a machine shared with
// other work it moves much less than wall time, so it is the figure to compare between runs.
console.log('| case | objects | cold wall time | x floor | cold CPU time | x floor | peak RSS | warm in-process |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
console.log(`| floor: node -e "import('cdk8s')" | - | ${ms(floor.map((r) => r.ms))} | 1.0 | ${ms(floor.map((r) => r.cpuMs))} | 1.0 | ${median(floor.map((r) => r.rssMiB)).toFixed(0)} MiB | - |`);
const row = (name: string, runs: Run[], warmRuns: Run[] | undefined) => {
  const x = (f: (r: Run) => number, base: number) => (median(runs.map(f)) / base).toFixed(1);
  console.log(`| ${name} | ${runs[0].objects} | ${ms(runs.map((r) => r.ms))} | ${x((r) => r.ms, floorMs)} | ${ms(runs.map((r) => r.cpuMs))} | ${x((r) => r.cpuMs, floorCpu)} | ${median(runs.map((r) => r.rssMiB)).toFixed(0)} MiB | ${warmRuns ? ms(warmRuns.map((r) => r.warmMs!)) : '-'} |`);
};
CASES.forEach((c, i) => {
  if (c.services === 0) {
    row(`${c.name}, first run after a build (no caches)`, uncached, undefined);
    row(`${c.name}, every PromQL expression checked again (AI_MONITORING_PROMQL_CACHE=off)`, allChecked, undefined);
  }
  row(c.name, cold[i], warm[i]);
});

const failures: string[] = [];
const coldOf = (n: number) => median(cold[CASES.findIndex((c) => c.services === n)].map((r) => r.ms));
const rssOf = (n: number) => Math.max(...cold[CASES.findIndex((c) => c.services === n)].map((r) => r.rssMiB));
const seedRatio = coldOf(0) / floorMs;
if (seedRatio > 3) failures.push(`seed platform cold is x${seedRatio.toFixed(1)} the floor (target at most x3)`);
if (coldOf(10_000) > 10_000) failures.push(`10,000 services cold took ${coldOf(10_000).toFixed(0)} ms (target under 10 s)`);
if (rssOf(10_000) > 2048) failures.push(`10,000 services peaked at ${rssOf(10_000).toFixed(0)} MiB (target under 2 GiB)`);
// Growth is judged on the cost the services add on top of the seed: 10x the services may cost
// at most 10x (plus a 10% allowance for noise) from 1,000 to 10,000.
const growth = (coldOf(10_000) - coldOf(0)) / Math.max(1, coldOf(1000) - coldOf(0));
console.log(`\nCost added by the services, 1,000 -> 10,000: x${growth.toFixed(1)} (linear: x10)`);
if (growth > 11) failures.push(`time grows faster than linearly (x${growth.toFixed(1)} for 10x the services)`);
if (failures.length) {
  console.error(`\nTargets missed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('All targets met.');
