/**
 * Starts a real Frontline server for the browser test: the binary from FRONTLINE_BIN
 * (default ../target/debug/frontline), a fresh data directory, port 0, and the built web files.
 * Reads the URLs and the admin password from what the server prints at start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  consoleUrl: string;
  demoUrl: string;
  origin: string;
  adminEmail: string;
  adminPassword: string;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  /** How long to wait for the server to say it is ready (60 s). */
  timeoutMs?: number;
  /** Extra environment for the server, over this process's (e.g. FRONTLINE_WEBHOOKS_ALLOW_PRIVATE). */
  env?: Record<string, string>;
}

/** `startServer()`, `startServer(timeoutMs)` or `startServer({ timeoutMs, env })`. */
export async function startServer(options: number | ServerOptions = {}): Promise<RunningServer> {
  const { timeoutMs = 60_000, env = {} } = typeof options === 'number' ? { timeoutMs: options } : options;
  const bin = resolve(webDir, process.env.FRONTLINE_BIN ?? '../target/debug/frontline');
  if (!existsSync(bin)) throw new Error(`server binary not found: ${bin} (set FRONTLINE_BIN)`);
  const distDir = resolve(webDir, 'dist');
  if (!existsSync(join(distDir, 'widget.js'))) throw new Error(`no build in ${distDir}: run npm run build`);
  const dataDir = mkdtempSync(join(tmpdir(), 'frontline-e2e-'));

  const child: ChildProcess = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data', dataDir], {
    env: { ...process.env, FRONTLINE_WEB_DIR: distDir, RUST_LOG: process.env.RUST_LOG ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  // If the test runner itself goes away, the server goes too.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const consoleUrl = /Console:\s+(http\S+)/.exec(out)?.[1];
    const demoUrl = /Demo site:\s+(http\S+)/.exec(out)?.[1];
    const admin = /Admin:\s+(\S+)\s+\/\s+(\S+)/.exec(out);
    if (consoleUrl && demoUrl && admin) {
      return {
        consoleUrl,
        demoUrl,
        origin: new URL(consoleUrl).origin,
        adminEmail: admin[1],
        adminPassword: admin[2],
        output: () => out,
        stop,
      };
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${out}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not ready after ${timeoutMs / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
