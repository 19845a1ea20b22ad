/**
 * Helpers for tests that run the real Prometheus and Alertmanager binaries on 127.0.0.1:
 * free ports, tiny HTTP servers (exporters, webhook receivers), bounded polling and a process
 * group that is always torn down (SIGTERM, then SIGKILL) and keeps recent output for failures.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => { sock.close(); resolve(false); });
    sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
  });
}

/**
 * A TCP port free on 127.0.0.1 now. With `udp`, the same port is also free for UDP (memberlist,
 * which Alertmanager's cluster uses, listens on both).
 */
export async function freePort(options: { udp?: boolean } = {}): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(p));
      });
    });
    if (!options.udp || await udpFree(port)) return port;
  }
  throw new Error('no free TCP+UDP port found on 127.0.0.1');
}

/** An HTTP server on a random port of 127.0.0.1. */
export function listen(handler: http.RequestListener): Promise<http.Server> {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export const portOf = (s: http.Server) => (s.address() as net.AddressInfo).port;

export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((r) => server.close(() => r()));
}

/** Body of a 2xx GET, or undefined (not up yet, error status). */
export async function httpGet(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

export async function httpGetJson<T = any>(url: string): Promise<T | undefined> {
  const body = await httpGet(url);
  return body === undefined ? undefined : JSON.parse(body) as T;
}

export async function httpPostJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(2_000),
  });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}

/** Value of a sample in a Prometheus text exposition (0 when the series is absent). */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) total += Number(m[3]);
  }
  return total;
}

export interface WaitOptions {
  /** Give up at this epoch time in ms. */
  readonly deadline: number;
  /** @default 200 */
  readonly intervalMs?: number;
  /** Context appended to the timeout error (recent process output, deliveries...). */
  readonly logs?: () => string;
}

/** Polls `probe` until it returns something other than undefined; throws at the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, options: WaitOptions): Promise<T> {
  while (Date.now() < options.deadline) {
    const hit = await probe();
    if (hit !== undefined) return hit;
    await sleep(options.intervalMs ?? 200);
  }
  throw new Error(`timed out waiting for ${what}${options.logs ? `\n${options.logs()}` : ''}`);
}

/**
 * Child processes of one test suite. Output is kept (bounded) for error messages; `stopAll()`
 * in afterAll ends whatever is still running, so a failed assertion never leaks a process.
 */
export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();
  private readonly output: string[] = [];

  start(bin: string, args: string[], label = path.basename(bin)): ChildProcess {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => {
      this.output.push(`[${label}] ${d}`);
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      this.output.push(`[${label}] exited (${signal ?? code})\n`);
      this.children.delete(child);
    });
    this.children.add(child);
    return child;
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs` if it is still running. */
  stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => { clearTimeout(force); resolve(); });
      child.kill(signal);
    });
  }

  /** SIGKILL: the process gets no chance to flush or say goodbye to its peers. */
  kill(child: ChildProcess): Promise<void> {
    return this.stop(child, 'SIGKILL');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c)));
  }

  /** The last `lines` chunks of output of every process. */
  logs(lines = 40): string {
    return this.output.slice(-lines).join('');
  }
}
