import { Construct } from 'constructs';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { ServiceMonitor } from './monitors.js';

export interface KubeletMonitorProps {
  /** Namespace of the monitor; the kubelet Service lives in kube-system. */
  readonly namespace: string;
}

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const SA_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

/**
 * Scrapes the kubelet and its embedded cAdvisor (container CPU, memory, I/O) through the
 * `kube-system/kubelet` Service that prometheus-operator maintains when started with
 * `--kubelet-service=kube-system/kubelet` (README prerequisites).
 */
export class KubeletMonitor extends Construct {
  constructor(scope: Construct, id: string, props: KubeletMonitorProps) {
    super(scope, id);
    const auth = {
      bearerTokenFile: SA_TOKEN,
      tlsConfig: { caFile: SA_CA, insecureSkipVerify: true },
    };
    const metricsPath = [{ action: 'replace', sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' }];
    new ServiceMonitor(this, 'Resource', {
      name: DEFAULT_NAMES.kubeletMonitor,
      namespace: props.namespace,
      selector: { 'app.kubernetes.io/name': 'kubelet' },
      targetNamespaces: ['kube-system'],
      endpoints: ['/metrics', '/metrics/cadvisor', '/metrics/probes'].map((path) => ({
        port: 'https-metrics',
        path,
        scheme: 'https' as const,
        honorLabels: true,
        relabelings: metricsPath,
        extra: { ...auth, honorTimestamps: path === '/metrics/cadvisor' ? false : undefined },
      })).map((e) => ({ ...e, extra: Object.fromEntries(Object.entries(e.extra).filter(([, v]) => v !== undefined)) })),
    });
  }
}
