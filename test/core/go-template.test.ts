import * as fs from 'node:fs';
import * as path from 'node:path';
import { goTemplateError, validateGoTemplate } from '../../lib/core/go-template.js';
import { describeWithTool, promtoolCheckRules, run, tmpDir } from '../support/tools.js';

/**
 * Templates and whether Go's text/template parser accepts them. The expectations are written
 * by hand; the suite below also asks promtool 3.5 (annotations) and amtool 0.28 (a template
 * file) and requires the tools to agree with the table and with our parser.
 */
const COMMON: Array<[string, boolean]> = [
  ['plain text, no actions', true],
  ['{{ .Labels.model }} and {{ . }}', true],
  ['{{- .Labels.x -}} trimmed', true],
  ['{{-.Labels.x}}', false], // "{{-" needs a space to be a trim marker; "-.Labels" is then a bad number
  ['{{ 3 -}}', true],
  ['{{ -3 }}', true],
  ['{{/* a comment */}}', true],
  ['{{- /* a comment */ -}}', true],
  ['{{ /* spaced comment */ }}', false],
  ['{{/* unclosed', false],
  ['{{/* x */ .}}', false],
  ['{{ .Labels.x', false],
  ['{{ }}', false],
  ['{{ if .X }}a{{ else if .Y }}b{{ else }}c{{ end }}', true],
  ['{{ with .X }}a{{ else with .Y }}b{{ end }}', true],
  ['{{ if .X }}a', false],
  ['{{ end }}', false],
  ['{{ else }}', false],
  ['{{ if }}{{ end }}', false],
  ['{{ range $i, $e := .Alerts }}{{ $i }}{{ $e }}{{ end }}', true],
  ['{{ range $i, $e, $f := .Alerts }}{{ end }}', false],
  ['{{ range .Alerts }}{{ break }}{{ continue }}{{ end }}', true],
  ['{{ break }}', false],
  ['{{ range . }}{{ else if . }}{{ end }}', false],
  ['{{ $x := 1 }}{{ $x }}', true],
  ['{{ $x = 1 }}', true],
  ['{{ $undefined }}', false],
  ['{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}', false],
  ['{{ define "x" }}body{{ end }}{{ template "x" . }}', true],
  ['{{ define "x" }}a{{ end }}{{ define "x" }}b{{ end }}', false],
  ['{{ if true }}{{ define "x" }}{{ end }}{{ end }}', false],
  ['{{ define "x" }} {{/* empty */}} {{ end }}{{ define "x" }}b{{ end }}', true],
  ['{{ .A | }}', true], // Go accepts a trailing pipe
  ['{{ .A.B.C | printf "%s" | len }}', true],
  ['{{ range $e := . }}{{ $e }}{{ end }}{{ $e }}', false],
  ['{{ range 3 }}{{ . }}{{ end }}', true],
  ['{{ if true }}{{ break }}{{ end }}', false],
  ['{{ $x := 1 }}{{ $x.Field }}', true],
  ['{{ .A.1 }}', false],
  ['{{ true.X }}', false],
  ['{{ nil }}', true],
  ['{{ else if }}', false],
  ['{{ with $x := .A }}{{ $x }}{{ end }}', true],
  ['{{ template "x" . . }}', true], // the pipeline is a command with two operands
  ['{{ (.A) }}', true],
  ['{{ () }}', false],
  ['{{ .A }}}}', true],
  ['{{{{ .A }}', false],
  ['{{ template x }}', false],
  ['{{ block "b" . }}default{{ end }}', true],
  ['{{ block "b" }}default{{ end }}', false],
  ['{{ printf "%s" "a" | printf "%s-%s" "b" }}', true],
  ['{{ . | "x" }}', false],
  ['{{ "a" | 3 }}', false],
  ['{{ (printf "%d" 1).Foo }}', true],
  ['{{ "a".Foo }}', false],
  ['{{ printf "\\d" }}', false],
  ['{{ printf "\\t" `raw \\d` }}', true],
  ['{{ printf "unterminated }}', false],
  ['{{ `unterminated }}', false],
  ["{{ printf \"%c\" 'x' }}", true],
  ["{{ printf \"%c\" 'xy' }}", false],
  ['{{ printf "%v" 0x1F 1_000 1.5e3 0o17 0b101 2i }}', true],
  ['{{ printf "%v" 1x }}', false],
  ['{{ printf "%v" nil }}', true],
  ['{{ printf "%s" (len "ab" }}', false],
  ['{{ printf "%s" ) }}', false],
  ['{{ undefinedFunction . }}', false],
  ['{{ .A , .B }}', false],
  ['{{ .A @ }}', false],
  ['{{ eq .A "x" | not }}', true],
  ['{{ if and (eq .A "x") (ne .B "y") }}{{ end }}', true],
  ['{{ index .Labels "a-b" }}', true],
  ['{{ .A\n| printf "%s" }}', true],
  ['{{ $ }}', true],
  ['{{ $.Labels }}', true],
  ['x {{ template "y" }} {{ define "y" }}{{ $ }}{{ end }}', true],
];

/** Prometheus only: its functions and the variables it predefines for alert templates. */
const PROMETHEUS: Array<[string, boolean]> = [
  ['{{ $value | humanize }} at {{ $labels.instance }}', true],
  ['{{ $value | humanizePercentage }} {{ $externalLabels.region }} {{ $externalURL }}', true],
  ['{{ with query "up" }}{{ . | first | value }}{{ end }}', true],
  ['{{ define "d" }}{{ $labels }}{{ end }}', false], // a define body sees only $
  ['{{ trimSpace "a" }}', false],
];

/** Alertmanager only: its functions, no predefined variables. */
const ALERTMANAGER: Array<[string, boolean]> = [
  ['{{ .CommonLabels.severity | toUpper }} {{ join "," (stringSlice "a" "b") }}', true],
  ['{{ range .Alerts }}{{ .StartsAt | since | humanizeDuration }}{{ end }}', true],
  ['{{ $labels.severity }}', false],
  ['{{ humanize 1 }}', false],
];

describe('goTemplateError (hand-written expectations)', () => {
  it.each([...COMMON, ...PROMETHEUS])('prometheus %p -> valid %p', (text, ok) => {
    expect(goTemplateError(text, 'prometheus') === undefined).toBe(ok);
  });
  it.each([...COMMON, ...ALERTMANAGER])('alertmanager %p -> valid %p', (text, ok) => {
    expect(goTemplateError(text, 'alertmanager') === undefined).toBe(ok);
  });
  it('names the prop and says why', () => {
    expect(() => validateGoTemplate('{{ if .X }}', 'alerts.A.annotations.summary')).toThrow(
      /'alerts\.A\.annotations\.summary' must be a valid Go template for Prometheus \(unexpected EOF\), got '\{\{ if \.X \}\}'/,
    );
  });
});

describeWithTool('promtool', 'Go templates: our verdict equals promtool check rules', (promtool) => {
  it('agrees on every annotation of the table', () => {
    const table = [...COMMON, ...PROMETHEUS];
    // One rule per template; promtool names each failing rule by its number.
    const rules = table.map(([text], i) => ({ alert: `T${i}`, expr: 'up', annotations: { t: text } }));
    const r = promtoolCheckRules(promtool, [{ name: 'templates', rules }]);
    const refused = new Set([...r.output.matchAll(/rule (\d+),/g)].map((m) => Number(m[1]) - 1));
    const verdicts = table.map(([text], i) => ({ text, promtool: !refused.has(i), ours: goTemplateError(text, 'prometheus') === undefined }));
    expect(verdicts.filter((v) => v.promtool !== v.ours)).toEqual([]);
    expect(verdicts.map((v) => v.promtool)).toEqual(table.map(([, ok]) => ok));
  });
});

describeWithTool('amtool', 'Go templates: our verdict equals amtool check-config', (amtool) => {
  const dir = tmpDir('aimon-tmpl-');
  it.each([...COMMON, ...ALERTMANAGER])('%p', (text, ok) => {
    // amtool parses the files listed under `templates:`, each as a top-level template, as
    // Alertmanager parses a receiver field.
    const file = path.join(dir, 't.tmpl');
    fs.writeFileSync(file, text);
    fs.writeFileSync(path.join(dir, 'am.yml'), `route: {receiver: r}\nreceivers: [{name: r}]\ntemplates: ['${file}']\n`);
    const accepted = run(amtool, ['check-config', path.join(dir, 'am.yml')]).status === 0;
    expect({ text, amtool: accepted, ours: goTemplateError(text, 'alertmanager') === undefined }).toEqual({ text, amtool: ok, ours: ok });
  });
});
