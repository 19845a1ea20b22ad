// One benchmark run in a fresh process: `node dist-lib/app/bench-case.mjs <services> <outdir> [warm]`.
// Cold: load the modules, build both regions and write them to disk, as `cdk8s synth` does; the
// parent times the whole process. Warm: the same synthesis again in this process after a
// first run, so module loading and first-call compilation are excluded. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { synthCase } from './cases.js';

const [services, outdir, mode] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
if (mode === 'warm') synthCase(services, outdir);
const start = performance.now();
const objects = synthCase(services, outdir);
const ms = performance.now() - start;
const usage = process.resourceUsage();
// CPU time of the whole process (user + system, microseconds), start-up included.
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(JSON.stringify({ services, objects, ms, peakRssMiB: usage.maxRSS / 1024, cpuMs }) + '\n');
