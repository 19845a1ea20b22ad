// The PromQL verdicts of a bundled app's earlier runs, kept next to the bundle (like its V8 code
// cache, scripts/code-cache-launcher.mjs) so that a later `cdk8s synth` does not check again an
// expression that the same bundle has already checked and accepted. Put first into every bundled
// app by scripts/bundle-apps.mjs (esbuild `inject`).
//
// What is kept: the exact text of each expression that lib/core/promql.ts parsed and checked in
// full (syntax, Prometheus 3.5 features, strings, RE2, types) and found without problems, with
// its text without comments. Nothing else: a rejected expression is never kept, so it is checked
// (and rejected) on every run, and a new or changed expression is checked in full the first time
// it is seen. The verdict depends on the text and on the checker's code alone, and the checker
// is inside the bundle, so the file name carries the bundle's size and mtime, the same key as
// the code cache: a rebuilt bundle never reads the verdicts of the old one (the build also
// deletes old files). This is how `tsc --incremental` and `eslint --cache` skip unchanged
// inputs. AI_MONITORING_PROMQL_CACHE=off checks every expression on every run.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setPromQLVerdictStore } from '../lib/core/promql.ts';

/** Above this many expressions, only those of the last run are kept, so the file cannot grow without end. */
const MAX_ENTRIES = 100_000;

function install() {
  if (process.env.AI_MONITORING_PROMQL_CACHE === 'off') return;
  // In the bundle, import.meta.url is the bundle's own URL (scripts/bundle-apps.mjs).
  const bundle = fileURLToPath(import.meta.url);
  let stat;
  try {
    stat = fs.statSync(bundle);
  } catch {
    return;
  }
  const file = `${bundle}.${stat.size}-${Math.trunc(stat.mtimeMs)}.promql-verdicts.json`;
  // expression -> its text without comments, or null when that is the expression trimmed
  const earlier = new Map();
  try {
    const entries = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (Array.isArray(entries)) {
      for (const e of entries) {
        if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && (e[1] === null || typeof e[1] === 'string')) earlier.set(e[0], e[1]);
      }
    }
  } catch {
    // no file yet, or one cut short: every expression is checked, and this run writes the file
  }
  const used = new Set();
  const found = new Map();
  setPromQLVerdictStore({
    accepted(expr) {
      const stripped = earlier.get(expr);
      if (stripped === undefined) return undefined;
      used.add(expr);
      return stripped ?? expr.trim();
    },
    checked(expr, stripped) {
      found.set(expr, stripped === expr.trim() ? null : stripped);
    },
  });
  process.on('exit', () => {
    if (found.size === 0) return;
    let entries = [...earlier, ...found];
    if (entries.length > MAX_ENTRIES) entries = [...[...used].map((e) => [e, earlier.get(e)]), ...found];
    try {
      // Written to a temporary name, then renamed: two concurrent runs never read half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(entries));
      fs.renameSync(tmp, file);
    } catch {
      // a read-only checkout only loses the verdicts
    }
  });
}

install();
