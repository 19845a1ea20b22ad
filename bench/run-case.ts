// Runs one benchmark case in a fresh process so that peak memory belongs to that case alone.
import { performance } from 'node:perf_hooks';
import { buildAndSynth, CASES } from './cases.js';

const c = CASES[Number(process.argv[2])];
buildAndSynth({ name: 'warm-up', services: 0 }); // load and JIT the modules outside the measurement
const start = performance.now();
const objects = buildAndSynth(c);
const ms = performance.now() - start;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ name: c.name, services: c.services, objects, ms, peakRssMiB }) + '\n');
