import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from '../support/tools.js';

// scripts/promql-verdict-cache.mjs keeps, next to a bundled app, the PromQL expressions its
// earlier runs checked in full and accepted. These tests bundle a small app exactly as the apps
// are bundled (scripts/bundle-plugins.mjs) and hold the cache to its contract: a rejected
// expression is never kept and is rejected on every run, with the same message; the file is
// bounded; only the file of the same bundle (size and mtime) is read; a damaged file is ignored and
// written again; and
// AI_MONITORING_PROMQL_CACHE=off checks everything. The verdicts and messages expected here are
// hand-written.
const VALID = 'sum by (job) (rate(http_requests_total[5m]))';
const COMMENTED = '# requests per job\nsum by (job) (rate(x[5m]))  ';
const TYPE_ERROR = 'rate(up)';
const TYPE_MESSAGE = "'q' must be a valid PromQL expression, got a type error (expected type matrix in call to function \"rate\", got vector) at position 5:\nrate(up)\n     ^";

let dir: string;
let app: string;

beforeAll(async () => {
  const { appBuildOptions, appEntry } = await import(path.resolve('scripts/bundle-plugins.mjs'));
  dir = tmpDir();
  const entry = path.join(dir, 'entry.ts');
  // Prints, per expression, the error message (or null) and the operand the library would embed.
  fs.writeFileSync(entry, `import { promqlOperand, validatePromQL } from ${JSON.stringify(path.resolve('lib/core/promql.ts'))};
    const out = JSON.parse(process.argv[2]).map((e: string) => { try { validatePromQL(e, 'q'); return [null, promqlOperand(e)]; } catch (err) { return [(err as Error).message, null]; } });
    process.stdout.write(JSON.stringify(out));`);
  app = path.join(dir, 'app.cjs');
  await build({ ...appBuildOptions, entryPoints: [appEntry(entry)], outfile: app, logLevel: 'error' });
});

function run(exprs: string[], env: Record<string, string> = {}): Array<[string | null, string | null]> {
  const r = spawnSync(process.execPath, [app, JSON.stringify(exprs)], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** The verdict file of the bundle as it is now (its name carries the bundle's size and mtime). */
function cacheFile(): string {
  const st = fs.statSync(app);
  return `${app}.${st.size}-${Math.trunc(st.mtimeMs)}.promql-verdicts.json`;
}

const reset = () => { for (const f of fs.readdirSync(dir)) if (f.includes('.promql-verdicts.json')) fs.rmSync(path.join(dir, f)); };

describe('PromQL verdict cache of the bundled apps', () => {
  beforeEach(reset);

  it('keeps the accepted expressions with their text without comments, and never a rejected one', () => {
    expect(run([VALID, COMMENTED, TYPE_ERROR])).toEqual([[null, `(${VALID})`], [null, '(sum by (job) (rate(x[5m])))'], [TYPE_MESSAGE, null]]);
    expect(JSON.parse(fs.readFileSync(cacheFile(), 'utf8'))).toEqual([[VALID, null], [COMMENTED, 'sum by (job) (rate(x[5m]))']]);
    // The next run answers the same from the file, and still rejects the bad expression in full.
    expect(run([VALID, COMMENTED, TYPE_ERROR])).toEqual([[null, `(${VALID})`], [null, '(sum by (job) (rate(x[5m])))'], [TYPE_MESSAGE, null]]);
    expect(JSON.parse(fs.readFileSync(cacheFile(), 'utf8'))).toEqual([[VALID, null], [COMMENTED, 'sum by (job) (rate(x[5m]))']]);
  });

  it('adds the expressions a later run checks to those already kept', () => {
    run([VALID]);
    run(['up == 1']);
    expect(JSON.parse(fs.readFileSync(cacheFile(), 'utf8'))).toEqual([[VALID, null], ['up == 1', null]]);
  });

  it('keeps only the last run\'s expressions once the file would hold more than 100,000', () => {
    const planted = Array.from({ length: 100_000 }, (_, i) => [`up{i="${i}"}`, null]);
    fs.writeFileSync(cacheFile(), JSON.stringify(planted));
    // 100,000 kept + 1 new is over the bound: what this run used (up{i="7"}) and found (VALID) remain.
    run(['up{i="7"}', VALID]);
    expect(JSON.parse(fs.readFileSync(cacheFile(), 'utf8'))).toEqual([['up{i="7"}', null], [VALID, null]]);
    // At the bound itself, nothing is dropped.
    fs.writeFileSync(cacheFile(), JSON.stringify(planted.slice(1)));
    run([VALID]);
    expect(JSON.parse(fs.readFileSync(cacheFile(), 'utf8'))).toHaveLength(100_000);
  });

  it('reads the file of its own bundle only, and none with AI_MONITORING_PROMQL_CACHE=off', () => {
    // A verdict planted in the file is believed (the file is as trusted as the bundle next to it)...
    fs.writeFileSync(cacheFile(), JSON.stringify([[TYPE_ERROR, null]]));
    expect(run([TYPE_ERROR])).toEqual([[null, `(${TYPE_ERROR})`]]);
    // ...but not with the cache off,
    expect(run([TYPE_ERROR], { AI_MONITORING_PROMQL_CACHE: 'off' })).toEqual([[TYPE_MESSAGE, null]]);
    // and not by a rebuilt bundle: another mtime is another file name.
    const planted = cacheFile();
    const later = new Date(fs.statSync(app).mtimeMs + 5000);
    fs.utimesSync(app, later, later);
    expect(cacheFile()).not.toBe(planted);
    expect(run([TYPE_ERROR])).toEqual([[TYPE_MESSAGE, null]]);
  });

  it('ignores a damaged file and writes it again', () => {
    for (const damaged of ['[["sum(x)", nu', '{"a": 1}', '[["rate(up)", 5], "x", ["a"]]']) {
      fs.writeFileSync(cacheFile(), damaged);
      expect(run([TYPE_ERROR, VALID])).toEqual([[TYPE_MESSAGE, null], [null, `(${VALID})`]]);
      expect(JSON.parse(fs.readFileSync(cacheFile(), 'utf8'))).toEqual([[VALID, null]]);
    }
  });
});
