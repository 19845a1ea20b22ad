import { stringify } from 'yaml';

/**
 * YAML for the configuration files the library generates (Alertmanager, Loki, Promtail,
 * Grafana provisioning, Thanos). No anchors/aliases, so every file reads on its own in a pull
 * request, and no line folding, so long PromQL/LogQL expressions stay on one line.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}
