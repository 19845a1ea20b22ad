#!/usr/bin/env bash
# Installs the packed tarball into two projects outside the repo, made the way users start an
# infra repo, and synthesizes the README's snippet in each through `cdk8s synth`:
#   cjs/  the stock `cdk8s init typescript-app` template (CommonJS, `app: npx ts-node main.ts`),
#         with the one tsconfig change the README asks for (`"module": "nodenext"`)
#   esm/  `"type": "module"`, `"module": "nodenext"`, `app: npx tsx main.ts`
# Each is type-checked with every TypeScript version the README documents, and with the newest
# under the other module resolutions the README names (expecting failure where it says so).
# Installs come from the npm registry only (through the local npm cache when it has them); the
# cdk8s CLI is the repo's own devDependency, so it is not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
TS_VERSIONS=(5.9.3 6.0.3)   # keep in step with the README ("Use it in your own repo")
CDK8S="$REPO/node_modules/.bin/cdk8s"
NPM_INSTALL=(npm install --prefer-offline --no-audit --no-fund --loglevel=error)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ai-monitoring-consumers.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
echo "consumers: packing into $WORK (prepack builds)"
npm pack --silent --pack-destination "$WORK" >/dev/null
TGZ="$(ls "$WORK"/*.tgz)"
# Peer versions as the package declares them, so the consumers test the ranges users get.
peer() { node -p "require('$REPO/package.json').peerDependencies['$1']"; }

for v in "${TS_VERSIONS[@]}"; do
  mkdir -p "$WORK/ts-$v" && (cd "$WORK/ts-$v" && echo '{"private":true}' >package.json && "${NPM_INSTALL[@]}" "typescript@$v")
done

# tsc_expect DIR TSCONFIG-OVERRIDES EXPECT(pass|fail) [TS VERSION...] (default: every documented one)
tsc_expect() {
  local dir="$1" flags="$2" expect="$3" v out rc
  shift 3; local versions=("$@"); [ ${#versions[@]} -gt 0 ] || versions=("${TS_VERSIONS[@]}")
  for v in "${versions[@]}"; do
    set +e; out="$(cd "$dir" && "$WORK/ts-$v/node_modules/.bin/tsc" --noEmit -p . $flags 2>&1)"; rc=$?; set -e
    if [ "$expect" = pass ] && [ $rc -ne 0 ]; then echo "$out" | head -20 >&2; echo "FAIL: $(basename "$dir") tsc $v $flags" >&2; exit 1; fi
    if [ "$expect" = fail ] && [ $rc -eq 0 ]; then echo "FAIL: $(basename "$dir") tsc $v $flags was expected to fail" >&2; exit 1; fi
    echo "consumers: $(basename "$dir"): TypeScript $v ${flags:-(tsconfig as is)}: ${expect}ed as documented"
  done
}

# synth_expect DIR: `cdk8s synth -o out` must write the chart into out/ (CDK8S_OUTDIR, not a
# hard-coded outdir) with the seed platform's Prometheus in it.
synth_expect() {
  local dir="$1"
  (cd "$dir" && "$CDK8S" synth -o out >synth.log 2>&1) || { cat "$dir/synth.log" >&2; exit 1; }
  test -s "$dir/out/platform.k8s.yaml" || { echo "FAIL: $(basename "$dir"): no out/platform.k8s.yaml" >&2; cat "$dir/synth.log" >&2; exit 1; }
  grep -q '^kind: Prometheus$' "$dir/out/platform.k8s.yaml" || { echo "FAIL: $(basename "$dir"): no Prometheus in the output" >&2; exit 1; }
  test ! -e "$dir/dist" || { echo "FAIL: $(basename "$dir"): wrote dist/ although -o out was given" >&2; exit 1; }
  echo "consumers: $(basename "$dir"): cdk8s synth -o out wrote $(grep -c '^kind:' "$dir/out/platform.k8s.yaml") objects"
}

# The README's snippet ("Using it"), written out by both projects.
SNIPPET="$(sed -n '/<!-- consumer-snippet -->/,/^```$/p' README.md | sed '1,2d;$d')"
test -n "$SNIPPET" || { echo "FAIL: README snippet marker <!-- consumer-snippet --> not found" >&2; exit 1; }
PULUMI_CHECK="import type { GlobalMonitoringArgs } from '@aeon-nova/ai-monitoring/pulumi';
export const args: Partial<GlobalMonitoringArgs> = {};"

# --- CommonJS: the cdk8s typescript-app template -----------------------------------------
CJS="$WORK/cjs"; mkdir -p "$CJS"
cp "$REPO/node_modules/cdk8s-cli/templates/typescript-app/tsconfig.json" "$CJS/tsconfig.json"
cp "$REPO/node_modules/cdk8s-cli/templates/typescript-app/cdk8s.yaml" "$CJS/cdk8s.yaml"
sed -i '/^imports:/,$d' "$CJS/cdk8s.yaml"   # no `cdk8s import` step: the library brings its types
echo '{ "name": "consumer-cjs", "version": "1.0.0", "main": "main.js", "private": true }' >"$CJS/package.json"
printf '%s\n' "$SNIPPET" >"$CJS/main.ts"
printf '%s\n' "$PULUMI_CHECK" >"$CJS/pulumi-types.ts"
(cd "$CJS" && "${NPM_INSTALL[@]}" "$TGZ" "cdk8s@$(peer cdk8s)" "constructs@$(peer constructs)" \
  ts-node@10 @types/node@20 "typescript@${TS_VERSIONS[0]}" \
  --ignore-scripts "@pulumi/pulumi@$(peer @pulumi/pulumi)" "@pulumi/aws@$(peer @pulumi/aws)" "@pulumi/kubernetes@$(peer @pulumi/kubernetes)")
grep -q '"module": "CommonJS"' "$CJS/tsconfig.json" || { echo "FAIL: the cdk8s template's tsconfig changed shape" >&2; exit 1; }
# The stock tsconfig: TypeScript 6 resolves like a bundler and passes; TypeScript 5.9 uses node10
# resolution, under which kubernetes-models' own declarations do not resolve (README).
tsc_expect "$CJS" "" pass 6.0.3
tsc_expect "$CJS" "" fail 5.9.3
sed -i 's/"module": "CommonJS"/"module": "nodenext"/' "$CJS/tsconfig.json"
tsc_expect "$CJS" "" pass
tsc_expect "$CJS" "--module node16" fail 6.0.3   # TS1479: node16 models a Node without require(esm)
synth_expect "$CJS"
(cd "$CJS" && node -e "const m = require('@aeon-nova/ai-monitoring'), p = require('@aeon-nova/ai-monitoring/pulumi');
  if (typeof m.MonitoringPlatform !== 'function' || typeof p.GlobalMonitoring !== 'function') process.exit(1);") \
  && echo "consumers: cjs: require() of both entry points works on Node $(node --version)"

# --- ESM --------------------------------------------------------------------------------
ESM="$WORK/esm"; mkdir -p "$ESM"
echo '{ "name": "consumer-esm", "version": "1.0.0", "type": "module", "private": true }' >"$ESM/package.json"
cat >"$ESM/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "nodenext", "strict": true, "noEmit": true, "types": ["node"] }, "include": ["*.ts"] }
JSON
printf 'language: typescript\napp: npx tsx main.ts\n' >"$ESM/cdk8s.yaml"
printf '%s\n' "$SNIPPET" >"$ESM/main.ts"
printf '%s\n' "$PULUMI_CHECK" >"$ESM/pulumi-types.ts"
(cd "$ESM" && "${NPM_INSTALL[@]}" "$TGZ" "cdk8s@$(peer cdk8s)" "constructs@$(peer constructs)" tsx@4 @types/node@20 \
  --ignore-scripts "@pulumi/pulumi@$(peer @pulumi/pulumi)" "@pulumi/aws@$(peer @pulumi/aws)" "@pulumi/kubernetes@$(peer @pulumi/kubernetes)")
tsc_expect "$ESM" "" pass
tsc_expect "$ESM" "--module node16" pass 6.0.3
tsc_expect "$ESM" "--module esnext --moduleResolution bundler" pass 6.0.3
synth_expect "$ESM"
(cd "$ESM" && node --input-type=module -e "const [m, p] = await Promise.all([import('@aeon-nova/ai-monitoring'), import('@aeon-nova/ai-monitoring/pulumi')]);
  if (typeof m.MonitoringPlatform !== 'function' || typeof p.GlobalMonitoring !== 'function') process.exit(1);") \
  && echo "consumers: esm: import of both entry points works on Node $(node --version)"
echo "consumers ok"
