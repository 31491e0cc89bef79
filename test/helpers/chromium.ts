/**
 * Headless Chromium for the browser tests, driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
 * no WebSocket and no extra dependency, and unlike --window-size (which headless Chromium clamps to 500 px)
 * device-metrics emulation gives a true 375 px (or 320 px) viewport.
 *
 * Needs the Debian package `chromium` (found on PATH, or at CHROMIUM_PATH). Without it a browser suite is skipped
 * with a notice on a developer's machine, but fails under CI (CI=true): there a skip would hide a layout bug.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** An executable file at `path`, or undefined. */
export function executable(path: string): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/** CHROMIUM_PATH when set (even to a missing file: then Chromium counts as absent), else `chromium` on PATH. */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') return executable(configured);
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const found = executable(join(dir, 'chromium'));
    if (found) return found;
  }
  return undefined;
}

export const CHROMIUM = findChromium();
export const IN_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());
export const MISSING_CHROMIUM = 'Chromium not found (looked for CHROMIUM_PATH, else `chromium` on PATH)';

const CALL_TIMEOUT_MS = 20_000;

export interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** A minimal DevTools-protocol client over Chromium's pipe: NUL-separated JSON on fds 3 (in) and 4 (out). */
export class Chromium {
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private stderr = '';
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: CdpMessage) => void>();

  private constructor(private readonly proc: ChildProcess) {
    (proc.stdio[4] as Readable).on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let end = this.buffer.indexOf(0); end >= 0; end = this.buffer.indexOf(0)) {
        const message = JSON.parse(this.buffer.subarray(0, end).toString('utf8')) as CdpMessage;
        this.buffer = this.buffer.subarray(end + 1);
        this.dispatch(message);
      }
    });
    (proc.stdio[2] as Readable).on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    proc.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited (${code}):\n${this.stderr}`));
      this.pending.clear();
    });
  }

  static launch(executablePath: string, userDataDir: string): Chromium {
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      '--mute-audio',
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-pipe',
      'about:blank',
    ];
    return new Chromium(spawn(executablePath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] }));
  }

  private dispatch(message: CdpMessage): void {
    if (message.id !== undefined) {
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) call?.reject(new Error(message.error.message));
      else call?.resolve(message.result ?? {});
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    (this.proc.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`chromium: ${method} timed out\n${this.stderr}`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  /** Calls `listener` with every event of `sessionId` until the returned function is called. */
  on(sessionId: string, listener: (method: string, params: Record<string, unknown>) => void): () => void {
    const l = (m: CdpMessage): void => {
      if (m.sessionId === sessionId && m.method) listener(m.method, m.params ?? {});
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Closes the browser and waits for its process to end (it writes to its profile until then). */
  async close(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    await this.send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}


/** A tab, attached: evaluate scripts in it, screenshot it, close it. */
export interface Tab {
  /** Evaluates `expression` (awaiting a promise) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the page from `top` (px), `height` px at most (the rest of the page by default, up to 16,000 px). */
  screenshot(height?: number, top?: number): Promise<Buffer>;
  close(): Promise<void>;
}

export interface TabOptions {
  /** Chromium's forced dark mode: roughly what Gmail and Outlook do to a light email in dark mode. */
  readonly dark?: boolean;
  /** Called with each JavaScript dialog's message (accepted). */
  readonly onDialog?: (message: string) => void;
  /** Emulates print media (the page's @media print). */
  readonly print?: boolean;
}

/** Opens `url` in a fresh tab at `width` px (a phone below 500 px) and waits for its load event. */
export async function openTab(browser: Chromium, url: string, width: number, options: TabOptions = {}): Promise<Tab> {
  const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
  const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
  let loaded!: () => void;
  const load = new Promise<void>((resolve) => (loaded = resolve));
  const off = browser.on(sessionId, (method, params) => {
    if (method === 'Page.loadEventFired') loaded();
    if (method === 'Page.javascriptDialogOpening') {
      options.onDialog?.(String(params.message));
      void browser.send('Page.handleJavaScriptDialog', { accept: true }, sessionId);
    }
  });
  const close = async (): Promise<void> => {
    off();
    await browser.send('Target.closeTarget', { targetId });
  };
  try {
    await browser.send('Page.enable', {}, sessionId);
    await browser.send('Emulation.setDeviceMetricsOverride', { width, height: 800, deviceScaleFactor: 1, mobile: width < 500 }, sessionId);
    if (options.dark) await browser.send('Emulation.setAutoDarkModeOverride', { enabled: true }, sessionId);
    if (options.print) await browser.send('Emulation.setEmulatedMedia', { media: 'print' }, sessionId);
    await browser.send('Page.navigate', { url }, sessionId);
    await load;
  } catch (e) {
    await close();
    throw e;
  }
  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = (await browser.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId)) as {
      result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  };
  return {
    evaluate,
    async screenshot(height, top = 0) {
      const full = await evaluate<number>('document.documentElement.scrollHeight');
      const { data } = (await browser.send('Page.captureScreenshot', {
        format: 'png', captureBeyondViewport: true, clip: { x: 0, y: top, width, height: Math.min(height ?? full - top, full - top, 16_000), scale: 1 },
      }, sessionId)) as { data: string };
      return Buffer.from(data, 'base64');
    },
    close,
  };
}
