import { FamilyAlert, maxBy, RuleFamily } from './rule-family.js';

// Workload health from kube-state-metrics v2.15 (docs/metrics/workload/*.md): pods, containers,
// Deployments, StatefulSets, DaemonSets, Jobs, HPAs and PDBs. Every expression aggregates with
// `max by` the object's own labels, so the alert names the object, not the exporter replica.

const POD = 'namespace, pod';
const CONTAINER = 'namespace, pod, container';
const DEPLOY = 'namespace, deployment';
const STS = 'namespace, statefulset';
const DS = 'namespace, daemonset';
const JOB = 'namespace, job_name';
const HPA = 'namespace, horizontalpodautoscaler';
const PDB = 'namespace, poddisruptionbudget';

const warn = (alert: string, forDuration: string, expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'warning', for: forDuration, expr, summary, description });

/** A spec/status pair of one controller kind that differs for 15 minutes. */
const mismatch = (alert: string, by: string, want: string, have: string, what: string, kind: string): FamilyAlert =>
  warn(alert, '15m', (c) => `${maxBy(by, c.m(want))} != ${maxBy(by, c.m(have))}`,
    `${kind} {{ $labels.namespace }}/{{ $labels.${by.split(', ')[1]} }} ${what}`,
    `${kind} {{ $labels.namespace }}/{{ $labels.${by.split(', ')[1]} }} ${what} for 15 minutes.`);

export const WORKLOAD_RULES: RuleFamily = {
  group: 'kubernetes-workloads',
  thresholds: {
    /** Hours a Job may run before KubeJobNotCompleted (long GPU training jobs). */
    jobMaxRuntimeHours: 72,
  },
  alerts: [
    warn('KubePodCrashLooping', '15m', (c) => `${maxBy(CONTAINER, c.m('kube_pod_container_status_waiting_reason', 'reason="CrashLoopBackOff"'))} == 1`,
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping',
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes: it starts and exits again.'),
    warn('KubePodNotReady', '15m', (c) => `(${maxBy(POD, c.m('kube_pod_status_ready', 'condition="false"'))} == 1) and on (namespace, pod) (${maxBy(POD, c.m('kube_pod_status_phase', 'phase="Running"'))} == 1)`,
      'Pod {{ $labels.namespace }}/{{ $labels.pod }} is running but not ready',
      'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been Running without passing its readiness checks for 15 minutes: it receives no traffic.'),
    warn('KubePodPending', '30m', (c) => `${maxBy(POD, c.m('kube_pod_status_phase', 'phase="Pending"'))} == 1`,
      'Pod {{ $labels.namespace }}/{{ $labels.pod }} is stuck Pending',
      'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending for 30 minutes: it is not scheduled (no node fits its requests, GPUs or tolerations) or its containers cannot start.'),
    // Large model images take minutes to pull; ErrImagePull/ImagePullBackOff mean a pull failed, held 20m.
    warn('KubeContainerImagePullFailing', '20m', (c) => `${maxBy(CONTAINER + ', reason', c.m('kube_pod_container_status_waiting_reason', 'reason=~"ErrImagePull|ImagePullBackOff|InvalidImageName"'))} == 1`,
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} cannot pull its image',
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting with {{ $labels.reason }} for 20 minutes: the image name, tag, registry credentials or registry are wrong or unreachable.'),
    warn('KubeContainerCreateFailing', '15m', (c) => `${maxBy(CONTAINER + ', reason', c.m('kube_pod_container_status_waiting_reason', 'reason=~"CreateContainerConfigError|CreateContainerError|RunContainerError"'))} == 1`,
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} cannot be created',
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting with {{ $labels.reason }} for 15 minutes (a missing ConfigMap, Secret or key, or a bad container spec).'),
    warn('KubeContainerOOMKilled', '0s', (c) => `(${maxBy(CONTAINER, c.m('kube_pod_container_status_last_terminated_reason', 'reason="OOMKilled"'))} == 1) and on (namespace, pod, container) (${maxBy(CONTAINER, `increase(${c.m('kube_pod_container_status_restarts_total')}[10m])`)} > 0)`,
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was OOM killed',
      'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted in the last 10 minutes after the kernel killed it for exceeding its memory limit.'),

    { alert: 'KubeDeploymentUnavailable', severity: 'critical', category: 'outage', for: '5m',
      expr: (c) => `(${maxBy(DEPLOY, c.m('kube_deployment_spec_replicas'))} > 0) and on (namespace, deployment) (${maxBy(DEPLOY, c.m('kube_deployment_status_replicas_available'))} == 0)`,
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has no available replica',
      description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} wants replicas but none has been available for 5 minutes: the service it runs is down.' },
    warn('KubeDeploymentReplicasMismatch', '15m', (c) => `(${maxBy(DEPLOY, c.m('kube_deployment_spec_replicas'))} > ${maxBy(DEPLOY, c.m('kube_deployment_status_replicas_available'))}) and on (namespace, deployment) (${maxBy(DEPLOY, `changes(${c.m('kube_deployment_status_replicas_updated')}[10m])`)} == 0)`,
      'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} runs fewer replicas than wanted',
      'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had fewer available replicas than its spec, with no rollout progress, for 15 minutes.'),
    warn('KubeDeploymentRolloutStuck', '15m', (c) => `${maxBy(DEPLOY, c.m('kube_deployment_status_condition', 'condition="Progressing",status="false"'))} == 1`,
      'Rollout of Deployment {{ $labels.namespace }}/{{ $labels.deployment }} is stuck',
      'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} reports Progressing=False (its progress deadline passed) for 15 minutes.'),
    mismatch('KubeDeploymentGenerationMismatch', DEPLOY, 'kube_deployment_status_observed_generation', 'kube_deployment_metadata_generation', 'has a spec change its controller has not observed', 'Deployment'),

    mismatch('KubeStatefulSetReplicasMismatch', STS, 'kube_statefulset_replicas', 'kube_statefulset_status_replicas_ready', 'has fewer ready replicas than its spec', 'StatefulSet'),
    mismatch('KubeStatefulSetGenerationMismatch', STS, 'kube_statefulset_status_observed_generation', 'kube_statefulset_metadata_generation', 'has a spec change its controller has not observed', 'StatefulSet'),
    mismatch('KubeStatefulSetRolloutStuck', STS, 'kube_statefulset_replicas', 'kube_statefulset_status_replicas_updated', 'has replicas not updated to its latest revision', 'StatefulSet'),

    warn('KubeDaemonSetNotScheduled', '10m', (c) => `${maxBy(DS, c.m('kube_daemonset_status_desired_number_scheduled'))} - ${maxBy(DS, c.m('kube_daemonset_status_current_number_scheduled'))} > 0`,
      'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} is not scheduled on every node',
      '{{ $value }} node(s) that should run DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} have had no pod of it for 10 minutes.'),
    warn('KubeDaemonSetMisScheduled', '15m', (c) => `${maxBy(DS, c.m('kube_daemonset_status_number_misscheduled'))} > 0`,
      'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} runs on nodes it should not',
      '{{ $value }} pod(s) of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} have run on nodes outside its selector or tolerations for 15 minutes.'),
    warn('KubeDaemonSetRolloutStuck', '30m', (c) => `(${maxBy(DS, c.m('kube_daemonset_status_updated_number_scheduled'))} < ${maxBy(DS, c.m('kube_daemonset_status_desired_number_scheduled'))}) or (${maxBy(DS, c.m('kube_daemonset_status_number_available'))} < ${maxBy(DS, c.m('kube_daemonset_status_desired_number_scheduled'))})`,
      'Rollout of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} is stuck',
      'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has had pods not updated or not available for 30 minutes.'),
    mismatch('KubeDaemonSetGenerationMismatch', DS, 'kube_daemonset_status_observed_generation', 'kube_daemonset_metadata_generation', 'has a spec change its controller has not observed', 'DaemonSet'),

    warn('KubeJobFailed', '0s', (c) => `${maxBy(JOB, c.m('kube_job_failed', 'condition="true"'))} == 1`,
      'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed',
      'Job {{ $labels.namespace }}/{{ $labels.job_name }} reached its backoff limit or deadline and is marked Failed.'),
    warn('KubeJobNotCompleted', '0s', (c) => `(time() - ${maxBy(JOB, c.m('kube_job_status_start_time'))} > ${c.t.jobMaxRuntimeHours * 3600}) and on (namespace, job_name) (${maxBy(JOB, c.m('kube_job_status_active'))} > 0)`,
      'Job {{ $labels.namespace }}/{{ $labels.job_name }} has run too long',
      'Job {{ $labels.namespace }}/{{ $labels.job_name }} started {{ $value | humanizeDuration }} ago and still has active pods.'),

    warn('KubeHpaMaxedOut', '15m', (c) => `(${maxBy(HPA, c.m('kube_horizontalpodautoscaler_status_current_replicas'))} >= ${maxBy(HPA, c.m('kube_horizontalpodautoscaler_spec_max_replicas'))}) and on (namespace, horizontalpodautoscaler) (${maxBy(HPA, c.m('kube_horizontalpodautoscaler_spec_max_replicas'))} > ${maxBy(HPA, c.m('kube_horizontalpodautoscaler_spec_min_replicas'))})`,
      'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} runs at its maximum',
      'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 15 minutes: load above that is not absorbed.'),
    warn('KubeHpaReplicasMismatch', '15m', (c) => `(${maxBy(HPA, c.m('kube_horizontalpodautoscaler_status_desired_replicas'))} != ${maxBy(HPA, c.m('kube_horizontalpodautoscaler_status_current_replicas'))}) and on (namespace, horizontalpodautoscaler) (${maxBy(HPA, `changes(${c.m('kube_horizontalpodautoscaler_status_current_replicas')}[15m])`)} == 0)`,
      'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} does not reach its desired replicas',
      'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has wanted a different number of replicas than it runs, without change, for 15 minutes (quota, capacity or pending pods).'),

    warn('KubePdbNoHealthyPods', '10m', (c) => `(${maxBy(PDB, c.m('kube_poddisruptionbudget_status_expected_pods'))} > 0) and on (namespace, poddisruptionbudget) (${maxBy(PDB, c.m('kube_poddisruptionbudget_status_current_healthy'))} == 0)`,
      'PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has no healthy pod',
      'No pod protected by PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has been healthy for 10 minutes.'),
    warn('KubePdbAtRisk', '15m', (c) => `${maxBy(PDB, c.m('kube_poddisruptionbudget_status_current_healthy'))} < ${maxBy(PDB, c.m('kube_poddisruptionbudget_status_desired_healthy'))}`,
      'PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} is below its desired healthy pods',
      'PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has had fewer healthy pods than it requires for 15 minutes: node drains are blocked.'),
  ],
};
