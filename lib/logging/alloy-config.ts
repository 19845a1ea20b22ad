import { AgentPipeline, SYSLOG_RECEIVER_RULES, JOURNAL_JOB, JOURNAL_PATH, journalRelabelRules, parserStages, podRelabelRules, RelabelRule, relabelKeys, Stage, SYSLOG_RECEIVER_JOB, POD_JOB } from './agent-pipeline.js';
import { AlloyBlock, AlloyValue, ref, renderAlloy } from './alloy-syntax.js';
import { GEOIP_LABEL, SYSLOG_JOB } from './pipeline.js';

/** Alloy's HTTP port (UI, /metrics, /-/ready). */
export const ALLOY_HTTP_PORT = 12345;

function rule(r: RelabelRule): AlloyBlock {
  return { name: 'rule', attrs: relabelKeys(r) };
}

function labels(names: string[]): AlloyBlock {
  return { name: 'stage.labels', attrs: { values: Object.fromEntries(names.map((n) => [n, ''])) } };
}

function stage(s: Stage): AlloyBlock[] {
  switch (s.type) {
    case 'json': return [{ name: 'stage.json', attrs: { expressions: s.expressions } }];
    case 'regex': return [{ name: 'stage.regex', attrs: { expression: s.expression } }];
    case 'labels': return [labels(s.names)];
    case 'structured_metadata': return [{ name: 'stage.structured_metadata', attrs: { values: Object.fromEntries(s.names.map((n) => [n, ''])) } }];
    case 'timestamp': return [{ name: 'stage.timestamp', attrs: { source: s.source, format: s.format } }];
    // Alloy puts GeoIP fields in the extracted map only; promote the country code alone.
    case 'geoip': return [
      { name: 'stage.geoip', attrs: { source: s.source, db: s.db, db_type: s.dbType } },
      ...(s.dbType === 'asn' ? [] : [labels([GEOIP_LABEL])]),
    ];
  }
}

/**
 * The Alloy configuration of the log agent: pod logs from /var/log/pods (pods discovered on
 * this node through the API server), the systemd journal, host syslog files and an optional
 * syslog receiver, all through one `loki.process` pipeline (CRI unwrapping, then each
 * parser on the streams its selector matches) into `loki.write`.
 */
export function renderAlloyConfig(p: AgentPipeline): string {
  const receiver = ref('loki.process.logs.receiver');
  const blocks: AlloyBlock[] = [
    { name: 'logging', attrs: { level: 'info', format: 'logfmt' } },
    {
      name: 'discovery.kubernetes',
      label: 'pods',
      attrs: { role: 'pod' },
      // Only this node's pods: each agent tails the files on its own node.
      blocks: [{ name: 'selectors', attrs: { role: 'pod', field: ref('"spec.nodeName=" + sys.env("NODE_NAME")') } }],
    },
    {
      name: 'discovery.relabel',
      label: 'pod_logs',
      attrs: { targets: ref('discovery.kubernetes.pods.targets') },
      blocks: podRelabelRules(p.podLabels).map(rule),
    },
    { name: 'local.file_match', label: 'pod_logs', attrs: { path_targets: ref('discovery.relabel.pod_logs.output') } },
    { name: 'loki.source.file', label: 'pod_logs', attrs: { targets: ref('local.file_match.pod_logs.targets'), forward_to: [receiver] } },
  ];
  if (p.journal) {
    blocks.push(
      { name: 'loki.relabel', label: 'journal', attrs: { forward_to: [] as AlloyValue[] }, blocks: journalRelabelRules(p.podLabels).map(rule) },
      {
        name: 'loki.source.journal',
        label: 'system',
        attrs: {
          path: JOURNAL_PATH,
          max_age: '12h',
          labels: { job: JOURNAL_JOB },
          relabel_rules: ref('loki.relabel.journal.rules'),
          forward_to: [receiver],
        },
      },
    );
  }
  if (p.syslogFiles.length) {
    blocks.push(
      { name: 'local.file_match', label: 'syslog', attrs: { path_targets: p.syslogFiles.map((f) => ({ __path__: f, job: SYSLOG_JOB })) } },
      { name: 'loki.source.file', label: 'syslog', attrs: { targets: ref('local.file_match.syslog.targets'), forward_to: [receiver] } },
    );
  }
  if (p.syslogReceiverPort !== undefined) {
    blocks.push(
      { name: 'loki.relabel', label: 'syslog_receiver', attrs: { forward_to: [] as AlloyValue[] }, blocks: SYSLOG_RECEIVER_RULES.map(rule) },
      {
        name: 'loki.source.syslog',
        label: 'receiver',
        attrs: { forward_to: [receiver], relabel_rules: ref('loki.relabel.syslog_receiver.rules') },
        // The sender's own timestamp, not the time of receipt.
        blocks: [{ name: 'listener', attrs: { address: `0.0.0.0:${p.syslogReceiverPort}`, protocol: 'tcp', use_incoming_timestamp: true, labels: { job: SYSLOG_RECEIVER_JOB } } }],
      },
    );
  }
  blocks.push(
    {
      name: 'loki.process',
      label: 'logs',
      attrs: { forward_to: [ref('loki.write.loki.receiver')] },
      blocks: [
        // Container runtimes write CRI lines (`<time> <stream> <flag> <log>`): unwrap them first.
        { name: 'stage.match', attrs: { selector: `{job="${POD_JOB}"}`, pipeline_name: 'cri' }, blocks: [
          { name: 'stage.cri' },
          // One file per container restart: the file name would multiply streams for nothing.
          { name: 'stage.label_drop', attrs: { values: ['filename'] } },
        ] },
        ...parserStages(p).map((ps): AlloyBlock => ({
          name: 'stage.match',
          attrs: { selector: ps.selector, pipeline_name: `parser_${ps.name}` },
          blocks: ps.stages.flatMap(stage),
        })),
      ],
    },
    {
      name: 'loki.write',
      label: 'loki',
      attrs: { external_labels: p.externalLabels },
      blocks: [{ name: 'endpoint', attrs: { url: p.pushUrl } }],
    },
  );
  return renderAlloy(blocks, 'Generated by @aeon-nova/ai-monitoring (LogAgent.alloy). Do not edit: change the construct props.');
}
