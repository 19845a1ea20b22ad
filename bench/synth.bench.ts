// `npm run bench`: wall time of construction + synthesis (in memory, both regions) and peak
// RSS of each case, each measured in its own process, best of 5 runs. Prints a Markdown table.
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { CASES } from './cases.js';

interface Result { name: string; services: number; objects: number; ms: number; peakRssMiB: number }

const RUNS = 5;
const results: Result[] = CASES.map((_, i) => {
  const runs = Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/run-case.ts', String(i)], { encoding: 'utf8' })) as Result);
  return runs.reduce((best, r) => (r.ms < best.ms ? r : best));
});

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
console.log('| case | objects | synth wall time | peak RSS | ms per service |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const seed = results[0];
for (const r of results) {
  const perService = r.services ? ((r.ms - seed.ms) / r.services).toFixed(2) : '-';
  console.log(`| ${r.name} | ${r.objects} | ${r.ms.toFixed(0)} ms | ${r.peakRssMiB.toFixed(0)} MiB | ${perService} |`);
}

const failures: string[] = [];
const byServices = (n: number) => results.find((r) => r.services === n)!;
if (seed.ms > 1000) failures.push(`seed platform took ${seed.ms.toFixed(0)} ms (target < 1000 ms)`);
const big = byServices(1000);
if (big.ms > 10_000) failures.push(`1,000 services took ${big.ms.toFixed(0)} ms (target < 10 s)`);
if (big.peakRssMiB > 1024) failures.push(`1,000 services peaked at ${big.peakRssMiB.toFixed(0)} MiB (target < 1 GiB)`);
// Linearity is judged between 1,000 and 2,000 services: the 100-service increment is a few ms,
// within the noise of a shared machine, so a ratio against it says little.
const growth = (byServices(2000).ms - seed.ms) / Math.max(1, big.ms - seed.ms);
console.log(`\nGrowth from 1,000 to 2,000 services: x${growth.toFixed(2)} (linear would be x2)`);
if (growth > 2.5) failures.push(`time grows faster than linearly (x${growth.toFixed(2)} for 2x services)`);
if (failures.length) {
  console.error(`\nTargets missed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('All targets met.');
