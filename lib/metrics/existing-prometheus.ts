import { Construct } from 'constructs';
import { invalid } from '../core/errors.js';
import { validateDnsLabel, validateK8sLabels } from '../core/names.js';
import { addSelectionLabels } from '../core/selection.js';
import type { PodsRef } from '../core/network.js';

/** Props of {@link ExistingPrometheus}. */
export interface ExistingPrometheusProps {
  /** Namespace the Prometheus runs in; rules of the AI monitors go there by default. */
  readonly namespace: string;
  /**
   * Labels of the Prometheus pods, so scraped workloads allow ingress from them.
   * @default { 'app.kubernetes.io/name': 'prometheus' } (kube-prometheus-stack's pods)
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Labels its `serviceMonitorSelector`, `podMonitorSelector`, `probeSelector`,
   * `scrapeConfigSelector` and `ruleSelector` match (kube-prometheus-stack selects
   * `release: <helm release name>`). Every ServiceMonitor, PodMonitor, Probe, ScrapeConfig and
   * PrometheusRule of this chart carries them.
   */
  readonly selectorLabels: Record<string, string>;
}

/**
 * A Prometheus you already run (kube-prometheus-stack, another operator install): pass it as
 * the `scraper` of the AI monitors instead of a {@link MetricsStack}. It creates no object;
 * it makes the chart's monitors and rules carry the labels that Prometheus selects.
 */
export class ExistingPrometheus extends Construct implements PodsRef {
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
  readonly selectorLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: ExistingPrometheusProps) {
    super(scope, id);
    if (typeof props !== 'object' || props === null) throw invalid('props', props, '{ namespace, selectorLabels }');
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    const pods = props.podLabels ?? { 'app.kubernetes.io/name': 'prometheus' };
    if (typeof pods !== 'object' || pods === null || Object.keys(pods).length === 0) throw invalid('podLabels', props.podLabels, 'at least one label of the Prometheus pods');
    this.podLabels = validateK8sLabels(pods, 'podLabels');
    const selector = props.selectorLabels;
    if (typeof selector !== 'object' || selector === null || Object.keys(selector).length === 0) throw invalid('selectorLabels', props.selectorLabels, 'the labels the Prometheus selects monitors and rules by, like { release: "kube-prometheus-stack" }');
    this.selectorLabels = validateK8sLabels(selector, 'selectorLabels');
    addSelectionLabels(this, this.selectorLabels);
  }
}
