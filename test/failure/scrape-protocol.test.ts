/**
 * Prometheus 3 and targets without a valid Content-Type (issue 14), on the deployed Prometheus
 * 3.5: an exporter that answers the classic text format with no Content-Type header is scraped
 * twice, once as a plain job and once with the `fallbackScrapeProtocol` the library renders on
 * the third-party targets (dcgm-exporter's ServiceMonitor, the Pinecone ScrapeConfig), written
 * as Prometheus' `fallback_scrape_protocol`, the key prometheus-operator renders it to. The plain
 * job is down (Prometheus 3 refuses the scrape); the one with the fallback is up with its samples.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { SEED_REGIONS } from '../../lib/index.js';
import { seedObjects } from '../support/seed.js';
import { describeWithTool, tmpDir } from '../support/tools.js';
import { closeServer, freePort, httpGetJson, listen, portOf, ProcessGroup, waitFor } from '../support/processes.js';

describeWithTool('prometheus', 'Prometheus 3 scrapes a target without Content-Type only with the fallback protocol', (bin) => {
  const procs = new ProcessGroup();
  let exporter: http.Server | undefined;
  let dir = '';

  afterAll(async () => {
    await procs.stopAll();
    if (exporter) await closeServer(exporter);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is down without fallbackScrapeProtocol and up with the rendered one', async () => {
    const objects = seedObjects(SEED_REGIONS[0]);
    const rendered = ['ServiceMonitor/dcgm-exporter', 'ScrapeConfig/pinecone'].map((id) => {
      const [kind, name] = id.split('/');
      return objects.find((o) => o.kind === kind && o.metadata.name === name)!.spec.fallbackScrapeProtocol as string;
    });
    expect(rendered.every(Boolean) && new Set(rendered).size === 1).toBe(true);
    const deadline = Date.now() + 40_000;
    dir = tmpDir('aimon-scrape-protocol-');
    // No Content-Type header at all, as some exporters answer.
    exporter = await listen((_req, res) => res.end('DCGM_FI_DEV_GPU_UTIL{gpu="0"} 42\n'));
    const target = `127.0.0.1:${portOf(exporter)}`;
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'prometheus.yaml'), stringify({
      global: { scrape_interval: '1s' },
      scrape_configs: [
        { job_name: 'strict', static_configs: [{ targets: [target] }] },
        { job_name: 'fallback', fallback_scrape_protocol: rendered[0], static_configs: [{ targets: [target] }] },
      ],
    }));
    procs.start(bin, [
      `--config.file=${path.join(dir, 'prometheus.yaml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], 'prometheus');
    const api = `http://127.0.0.1:${port}/api/v1`;
    const logs = () => procs.logs();
    const targets = await waitFor('both jobs scraped', async () => {
      const res = await httpGetJson(`${api}/targets`);
      const active = res?.data?.activeTargets ?? [];
      return active.length === 2 && active.every((t: any) => t.lastScrape && !t.lastScrape.startsWith('0001')) && active.every((t: any) => t.health !== 'unknown') ? active : undefined;
    }, { deadline, logs });
    const health = Object.fromEntries(targets.map((t: any) => [t.labels.job, [t.health, t.lastError]]));
    expect(health.strict).toEqual(['down', expect.stringMatching(/Content-Type/i)]);
    expect(health.fallback).toEqual(['up', '']);
    const q = await waitFor('the sample', async () => {
      const res = await httpGetJson(`${api}/query?query=${encodeURIComponent('DCGM_FI_DEV_GPU_UTIL{job="fallback"}')}`);
      return res?.data?.result?.length ? res.data.result : undefined;
    }, { deadline, logs });
    expect(q[0].value[1]).toBe('42');
  }, 60_000);
});
