import { FamilyAlert, FamilyContext, maxBy, RuleFamily } from './rule-family.js';

// PersistentVolume use from the kubelet's volume stats (`kubelet_volume_stats_*`, labels
// namespace and persistentvolumeclaim) and PV phases from kube-state-metrics.

const PVC = 'namespace, persistentvolumeclaim';

/** Percent used of a volume, from a free and a total gauge. */
const usedPercent = (c: FamilyContext, free: string, total: string) =>
  maxBy(PVC, `(1 - ${c.m(free)} / ${c.m(total)}) * 100`);

/** Two levels of "nearly full" plus a forecast: the volume still has room but will not in `forecastHours`. */
function filling(name: string, what: string, free: string, total: string, key: 'space' | 'inodes'): FamilyAlert[] {
  const target = 'PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}';
  const level = (severity: 'warning' | 'critical', forDuration: string): FamilyAlert => ({
    alert: `KubePersistentVolume${name}FillingUp`, severity, for: forDuration,
    expr: (c) => `${usedPercent(c, free, total)} > ${c.t[`${key}${severity === 'warning' ? 'Warning' : 'Critical'}Percent`]}`,
    summary: `${target} is nearly out of ${what}`,
    description: `${target} has used {{ printf "%.1f" $value }}% of its ${what}.`,
  });
  return [
    level('warning', '5m'),
    level('critical', '1m'),
    {
      alert: `KubePersistentVolume${name}FillingUpSoon`, severity: 'warning', for: '1h',
      expr: (c) => `(${usedPercent(c, free, total)} > ${c.t.forecastFromPercent}) and on (namespace, persistentvolumeclaim) (${maxBy(PVC, `predict_linear(${c.m(free)}[${c.t.forecastLookbackHours}h], ${c.t.forecastHours * 3600})`)} < 0)`,
      summary: `${target} will run out of ${what}`,
      description: `${target} (now {{ printf "%.1f" $value }}% used) will run out of ${what} within the forecast window at the rate of the last hours.`,
    },
  ];
}

export const STORAGE_RULES: RuleFamily = {
  group: 'kubernetes-storage',
  thresholds: {
    spaceWarningPercent: 85,
    spaceCriticalPercent: 97,
    inodesWarningPercent: 85,
    inodesCriticalPercent: 97,
    /** The forecast alert only looks at volumes at least this full. */
    forecastFromPercent: 60,
    forecastLookbackHours: 6,
    forecastHours: 96,
  },
  alerts: [
    ...filling('', 'space', 'kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', 'space'),
    ...filling('Inodes', 'inodes', 'kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes', 'inodes'),
    {
      alert: 'KubePersistentVolumeErrors', severity: 'critical', for: '5m',
      expr: () => `${maxBy('persistentvolume, phase', 'kube_persistentvolume_status_phase{phase=~"Failed|Pending"}')} == 1`,
      summary: 'PersistentVolume {{ $labels.persistentvolume }} is {{ $labels.phase }}',
      description: 'PersistentVolume {{ $labels.persistentvolume }} has been in phase {{ $labels.phase }} for 5 minutes: its claim cannot use it (provisioning or reclaim failed).',
    },
  ],
};
