import { capacityAlerts, FamilyAlert, FamilyContext, maxBy, RuleFamily } from './rule-family.js';

// PersistentVolume use from the kubelet's volume stats (`kubelet_volume_stats_*`, labels
// namespace and persistentvolumeclaim) and PV phases from kube-state-metrics.

const PVC = 'namespace, persistentvolumeclaim';

/** Percent used of a volume, from a free and a total gauge. */
const usedPercent = (c: FamilyContext, free: string, total: string) =>
  maxBy(PVC, `(1 - ${c.m(free)} / ${c.m(total)}) * 100`);

/** Two levels of "nearly full" plus a forecast: the volume still has room but will not in `forecastHours`. */
const filling = (name: string, what: string, free: string, total: string, key: 'space' | 'inodes'): FamilyAlert[] => capacityAlerts({
  full: `KubePersistentVolume${name}FillingUp`, forecast: `KubePersistentVolume${name}FillingUpSoon`,
  target: 'PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}',
  what, nearly: 'nearly', by: PVC, key, for: { warning: '5m', critical: '1m' },
  usedPercent: (c) => usedPercent(c, free, total), free: (c) => c.m(free),
});

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
