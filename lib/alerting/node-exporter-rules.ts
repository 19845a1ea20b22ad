import { capacityAlerts, FamilyAlert, maxBy, RuleFamily } from './rule-family.js';

// Host-level alerts from node-exporter v1.9.1 (NodeExporter: instance = node name). Collectors
// read: filesystem, timex, netdev, conntrack, filefd, diskstats, mdadm (all on by default) and
// systemd (enabled by NodeExporter with the host's D-Bus socket).

const FS = 'fstype!="",fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|iso9660|fuse.lxcfs"';
const MOUNT = 'instance, device, mountpoint';

/** Percent used of writable filesystems, from a free and a total gauge. */
const used = (free: string, total: string) =>
  maxBy(MOUNT, `(1 - ${free}{${FS}} / ${total}{${FS}}) * 100 and node_filesystem_readonly{${FS}} == 0`);

/** Flat two-level "almost full" plus a trend alert, for space or inodes. */
const filesystem = (name: string, what: string, free: string, total: string, key: string): FamilyAlert[] => capacityAlerts({
  full: `NodeFilesystem${name}AlmostFull`, forecast: `NodeFilesystem${name}FillingUp`,
  target: 'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }}',
  what, nearly: 'almost', by: MOUNT, key, for: { warning: '30m', critical: '5m' },
  usedPercent: () => used(free, total), free: () => `${free}{${FS}}`,
});

const warn = (alert: string, forDuration: string, expr: FamilyAlert['expr'], summary: string, description: string): FamilyAlert =>
  ({ alert, severity: 'warning', for: forDuration, expr, summary, description });

export const NODE_EXPORTER_RULES: RuleFamily = {
  group: 'node-exporter',
  thresholds: {
    spaceWarningPercent: 85, spaceCriticalPercent: 95,
    filesWarningPercent: 90, filesCriticalPercent: 97,
    forecastFromPercent: 60, forecastLookbackHours: 6, forecastHours: 24,
    clockOffsetSeconds: 0.05,
    networkErrorRatio: 0.01,
    conntrackPercent: 75,
    fileDescriptorsPercent: 90,
    diskQueueDepth: 10,
  },
  alerts: [
    ...filesystem('', 'space', 'node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'space'),
    ...filesystem('Files', 'inodes', 'node_filesystem_files_free', 'node_filesystem_files', 'files'),
    warn('NodeClockSkewDetected', '10m', (c) => `${maxBy('instance', 'abs(node_timex_offset_seconds)')} > ${c.t.clockOffsetSeconds}`,
      'Clock of {{ $labels.instance }} is skewed',
      'The clock of {{ $labels.instance }} is off by {{ $value | humanizeDuration }}: TLS, token validity and metric timestamps suffer.'),
    warn('NodeClockNotSynchronising', '10m', () => `(${maxBy('instance', 'min_over_time(node_timex_sync_status[5m])')} == 0) and on (instance) (${maxBy('instance', 'node_timex_maxerror_seconds')} >= 16)`,
      'Clock of {{ $labels.instance }} is not synchronising',
      'NTP on {{ $labels.instance }} has not synchronised the clock for 10 minutes and the kernel gives up on its error estimate.'),
    warn('NodeNetworkErrors', '15m', (c) => `sum by (instance, device) (rate(node_network_receive_errs_total[5m]) + rate(node_network_transmit_errs_total[5m])) / sum by (instance, device) (rate(node_network_receive_packets_total[5m]) + rate(node_network_transmit_packets_total[5m])) > ${c.t.networkErrorRatio}`,
      'Interface {{ $labels.device }} of {{ $labels.instance }} has network errors',
      '{{ $value | humanizePercentage }} of the packets of {{ $labels.device }} on {{ $labels.instance }} failed over 15 minutes.'),
    warn('NodeConntrackAlmostFull', '10m', (c) => `${maxBy('instance', 'node_nf_conntrack_entries / node_nf_conntrack_entries_limit')} * 100 > ${c.t.conntrackPercent}`,
      'Conntrack table of {{ $labels.instance }} is almost full',
      'The connection-tracking table of {{ $labels.instance }} is {{ printf "%.0f" $value }}% full: new connections will be dropped.'),
    warn('NodeFileDescriptorsAlmostExhausted', '15m', (c) => `${maxBy('instance', 'node_filefd_allocated / node_filefd_maximum')} * 100 > ${c.t.fileDescriptorsPercent}`,
      'File descriptors of {{ $labels.instance }} are almost exhausted',
      '{{ printf "%.0f" $value }}% of the kernel\'s file descriptors on {{ $labels.instance }} are allocated.'),
    warn('NodeDiskIoSaturated', '30m', (c) => `${maxBy('instance, device', 'rate(node_disk_io_time_weighted_seconds_total{device=~"(/dev/)?(nvme[0-9]+n[0-9]+|sd[a-z]+|xvd[a-z]+|vd[a-z]+|md[0-9]+|dm-[0-9]+)"}[5m])')} > ${c.t.diskQueueDepth}`,
      'Disk {{ $labels.device }} of {{ $labels.instance }} is saturated',
      'Disk {{ $labels.device }} on {{ $labels.instance }} has had {{ printf "%.1f" $value }} I/O requests queued on average for 30 minutes.'),
    { alert: 'NodeRaidDegraded', severity: 'critical', category: 'data-integrity', for: '15m',
      expr: () => `${maxBy('instance, device', 'node_md_disks_required')} - ${maxBy('instance, device', 'node_md_disks{state="active"}')} > 0`,
      summary: 'RAID array {{ $labels.device }} of {{ $labels.instance }} is degraded',
      description: 'RAID array {{ $labels.device }} on {{ $labels.instance }} misses {{ $value }} active disk(s): one more failure loses data.' },
    warn('NodeRaidDiskFailure', '0s', () => `${maxBy('instance, device', 'node_md_disks{state="failed"}')} > 0`,
      'A disk of RAID array {{ $labels.device }} on {{ $labels.instance }} failed',
      '{{ $value }} disk(s) of RAID array {{ $labels.device }} on {{ $labels.instance }} are marked failed.'),
    warn('NodeSystemdUnitFailed', '15m', () => `${maxBy('instance, name', 'node_systemd_unit_state{state="failed"}')} == 1`,
      'Systemd unit {{ $labels.name }} failed on {{ $labels.instance }}',
      'Systemd unit {{ $labels.name }} on {{ $labels.instance }} has been in state failed for 15 minutes.'),
  ],
};
