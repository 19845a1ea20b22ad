import { Construct } from 'constructs';
import { DEFAULT_NAMES } from '../core/default-names.js';
import { invalid, requireArray } from '../core/errors.js';
import { K8sObject } from '../core/k8s-object.js';
import { validateDnsLabel, validateK8sLabels, validatePromLabelName } from '../core/names.js';
import { INHIBIT_EQUAL_LABELS } from './incident-routing.js';
import { Receiver } from './receivers.js';
import {
  alertmanagerInterval, IncidentClassRoutingProps, renderCrdMatchers, requireReceiver, resolveClassRoutes, ResolvedClassRoute,
  SEED_INCIDENT_CLASSES, validateGroupBy,
} from './routing-tree.js';
import { WATCHDOG_ALERT } from './self-monitoring.js';

/** Props of {@link ExistingAlertmanager}. */
export interface ExistingAlertmanagerProps extends IncidentClassRoutingProps {
  /** Namespace of the AlertmanagerConfig; the operator only routes alerts whose `namespace` label equals it. */
  readonly namespace: string;
  /** Labels the Alertmanager's `alertmanagerConfigSelector` matches (kube-prometheus-stack: `release: <helm release>`). */
  readonly selectorLabels: Record<string, string>;
  /** @default 'ai-monitoring' */
  readonly name?: string;
  /** Receivers; their Secrets must live in `namespace`. */
  readonly receivers: Receiver[];
  /** Route the Watchdog to this receiver (a dead man's switch). @default - no Watchdog route (the stack keeps its own) */
  readonly watchdogReceiver?: string;
}

/**
 * An Alertmanager you already run (kube-prometheus-stack): the library's incident-class routing
 * as a prometheus-operator `AlertmanagerConfig` the operator merges into that Alertmanager's
 * configuration, labelled for its `alertmanagerConfigSelector`. It creates no Alertmanager.
 * Same classes, timings and critical-mutes-warning rule as {@link IncidentRouting}.
 */
export class ExistingAlertmanager extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly classes: readonly ResolvedClassRoute[];
  readonly resource: K8sObject;

  constructor(scope: Construct, id: string, props: ExistingAlertmanagerProps) {
    super(scope, id);
    if (typeof props !== 'object' || props === null) throw invalid('props', props, '{ namespace, selectorLabels, receivers }');
    this.namespace = validateDnsLabel(props.namespace, 'namespace');
    this.name = validateDnsLabel(props.name ?? DEFAULT_NAMES.alertmanagerConfig, 'name');
    const selector = props.selectorLabels;
    if (typeof selector !== 'object' || selector === null || Object.keys(selector).length === 0) {
      throw invalid('selectorLabels', selector, 'the labels the Alertmanager selects AlertmanagerConfigs by, like { release: "kube-prometheus-stack" }');
    }
    const labels = validateK8sLabels(selector, 'selectorLabels');
    if (!Array.isArray(props.receivers) || props.receivers.length === 0) throw invalid('receivers', props.receivers, 'at least one Receiver');
    const names: string[] = [];
    const receivers = props.receivers.map((r, i) => {
      if (!(r instanceof Receiver)) throw invalid(`receivers[${i}]`, r, 'a Receiver made by Receiver.pagerDuty/slack/webhook/email/opsgenie/none');
      if (names.includes(r.name)) throw invalid(`receivers[${i}].name`, r.name, 'unique among the receivers');
      names.push(r.name);
      return r.renderAlertmanagerConfig();
    });
    this.classes = resolveClassRoutes(props.classes ?? SEED_INCIDENT_CLASSES);
    this.classes.forEach((c) => requireReceiver(`classes.${c.incidentClass}.receiver`, c.receiver, names));
    const medium = this.classes.find((c) => c.incidentClass === 'medium')!;
    const defaultReceiver = props.defaultReceiver ?? medium.receiver;
    requireReceiver('defaultReceiver', defaultReceiver, names);
    if (props.watchdogReceiver !== undefined) requireReceiver('watchdogReceiver', props.watchdogReceiver, names);
    const watchdog = alertmanagerInterval(props.watchdogInterval ?? '1m', 'watchdogInterval', false).toPrometheus();
    const groupBy = validateGroupBy(props.groupBy ?? ['alertname', 'region', 'cluster', 'namespace'], 'groupBy');
    const equal = requireArray('inhibitEqual', props.inhibitEqual ?? INHIBIT_EQUAL_LABELS, 'a list of label names');
    equal.forEach((l, i) => validatePromLabelName(l, `inhibitEqual[${i}]`));
    const timing = (c: ResolvedClassRoute) => ({
      groupWait: c.groupWait.toPrometheus(), groupInterval: c.groupInterval.toPrometheus(), repeatInterval: c.repeatInterval.toPrometheus(),
    });

    this.resource = new K8sObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        route: {
          receiver: defaultReceiver,
          groupBy,
          ...timing(medium),
          routes: [
            // The CRD's NonEmptyDuration accepts '0' (not '0s') for "send at once".
            ...(props.watchdogReceiver === undefined ? [] : [{
              receiver: props.watchdogReceiver, matchers: renderCrdMatchers({ alertname: WATCHDOG_ALERT }),
              groupWait: '0', groupInterval: watchdog, repeatInterval: watchdog,
            }]),
            ...this.classes.map((c) => ({ receiver: c.receiver, matchers: renderCrdMatchers({ incident_class: c.incidentClass }), ...timing(c) })),
          ],
        },
        inhibitRules: [{
          sourceMatch: renderCrdMatchers({ severity: 'critical' }),
          targetMatch: renderCrdMatchers({ severity: 'warning' }),
          equal: [...equal],
        }],
        receivers,
      },
    });
  }
}
