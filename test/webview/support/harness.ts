// Drives the production webview bundle in headless Chromium. One browser and one loopback server per test
// file; a fresh context and page per test. Each page gets a mocked acquireVsCodeApi (messages recorded,
// state kept in sessionStorage so it survives a reload), and every request, CSP violation, page error and
// console error is collected: a test fails on any of them unless it expects it.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HostToWebview, TurnView, WebviewToHost } from '../../../src/shared/protocol';
import { ENGINE_GLOBAL } from '../../../src/webview/render/highlightEngine';
import { launchChromium } from '../../support/chromium';
import { ASSETS, startPageServer, type PageServer } from '../../support/pageServer';
import { snapshot } from '../../support/turns';
import { STATE_KEY, installVsCodeMock, type MockInit } from '../../support/vscodeApiMock';
import { webviewDist } from './paths';
import { THEMES, type ThemeKind } from './theme';

export interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

export interface ViewOptions {
  /** What getState returns on the first load. */
  state?: unknown;
  theme?: ThemeKind;
  width?: number;
  height?: number;
  /** CSP violations this test provokes on purpose. */
  expectViolation?: (v: Violation) => boolean;
  /** Requests this test provokes on purpose (the page's attempts count, even those the CSP blocks). */
  expectRequest?: (url: string) => boolean;
  /** Console errors this test provokes on purpose. */
  expectConsoleError?: (text: string) => boolean;
}

export class View {
  readonly requests: string[] = [];
  readonly violations: Violation[] = [];
  readonly pageErrors: string[] = [];
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page, readonly server: PageServer, private readonly opts: ViewOptions) {}

  /** A host message, delivered as VS Code delivers it: a `message` event whose data is the message. */
  async send(...msgs: HostToWebview[]): Promise<void> {
    await this.page.evaluate((ms) => {
      for (const m of ms) window.dispatchEvent(new MessageEvent('message', { data: m }));
    }, msgs);
  }

  /**
   * Sends a snapshot of these turns and waits until they are rendered: all of them, since the view renders
   * the ones that fill it first and the older ones at idle time, which a loaded machine puts off.
   */
  async snapshot(turns: TurnView[], o: Parameters<typeof snapshot>[1] = {}): Promise<void> {
    await this.send(snapshot(turns, o));
    await this.page.waitForFunction((n) => document.querySelectorAll('.turn').length === n, turns.length);
    await this.frames();
  }

  async posted(): Promise<WebviewToHost[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted.slice());
  }

  async postedOf<T extends WebviewToHost['type']>(type: T): Promise<Extract<WebviewToHost, { type: T }>[]> {
    return (await this.posted()).filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __posted: unknown[] }).__posted.length = 0;
    });
  }

  /** Waits for a posted message of this type and returns the last one. */
  async waitPosted<T extends WebviewToHost['type']>(type: T, timeout = 5000): Promise<Extract<WebviewToHost, { type: T }>> {
    await this.page.waitForFunction(
      (t) => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === t),
      type,
      { timeout },
    );
    const all = await this.postedOf(type);
    return all[all.length - 1]!;
  }

  /** Waits for two animation frames: whatever the view batches per frame has been rendered. */
  async frames(): Promise<void> {
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
  }

  /** Waits until the highlighting chunk has run, and with it the highlighting of the blocks shown meanwhile. */
  async highlighting(): Promise<void> {
    await this.page.waitForFunction((name) => name in window, ENGINE_GLOBAL, { timeout: 5000 });
    await this.frames();
  }

  /** Holds back the highlighting chunk until the returned function is called (code shows plain meanwhile). */
  async holdHighlighting(): Promise<() => Promise<void>> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await this.page.route('**/highlight.js', async (route) => {
      await released;
      await route.continue();
    });
    return async () => {
      release();
      await this.highlighting();
    };
  }

  /** The accessible name of the focused element (aria-label, else its text). */
  async focusedName(): Promise<string> {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return '';
      return (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
    });
  }

  async storedState(): Promise<unknown> {
    return this.page.evaluate((key) => {
      const s = sessionStorage.getItem(key);
      return s === null ? undefined : JSON.parse(s);
    }, STATE_KEY);
  }

  /** Everything that should not have happened. */
  problems(): string[] {
    const out: string[] = [];
    const origin = this.server.origin;
    for (const url of this.requests) {
      const u = new URL(url);
      const ok = u.origin === origin && (u.pathname === '/' || ASSETS.includes(u.pathname));
      if (!ok && !this.opts.expectRequest?.(url)) out.push(`unexpected request: ${url}`);
    }
    for (const p of this.server.requests) {
      const path = p.split('?')[0]!;
      if (path !== '/' && !ASSETS.includes(path)) out.push(`unexpected request reached the server: ${p}`);
    }
    for (const v of this.violations) {
      if (!this.opts.expectViolation?.(v)) out.push(`CSP violation: ${JSON.stringify(v)}`);
    }
    for (const e of this.pageErrors) out.push(`page error: ${e}`);
    for (const e of this.consoleErrors) {
      if (/Content Security Policy/i.test(e) && this.opts.expectViolation) continue;
      if (!this.opts.expectConsoleError?.(e)) out.push(`console error: ${e}`);
    }
    return out;
  }
}

export interface WebviewEnv {
  readonly browser: Browser;
  readonly server: PageServer;
  /** Wraps a test body: opens the view (waits for `ready`), runs the body, fails on any problem. */
  run(body: (v: View) => Promise<void>): () => Promise<void>;
  run(opts: ViewOptions, body: (v: View) => Promise<void>): () => Promise<void>;
  open(opts?: ViewOptions): Promise<{ view: View; page: Page }>;
}

/** Call at the top of a describe(): launches Chromium and the page server once for the file. */
export function webviewEnv(): WebviewEnv {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let server: PageServer | undefined;
  before(async function () {
    this.timeout(60_000);
    server = await startPageServer(webviewDist());
    browser = await launchChromium();
    // One context per file (a new one per test costs a second on a small machine); each test gets a new
    // page, and with it a fresh sessionStorage, so tests do not share state.
    context = await browser.newContext({ viewport: { width: 420, height: 720 }, serviceWorkers: 'block', reducedMotion: 'reduce' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(opts: ViewOptions = {}): Promise<{ view: View; page: Page }> {
    assert.ok(browser && context && server, 'webviewEnv() must be called inside describe()');
    server.requests.length = 0;
    const page = await context.newPage();
    if (opts.width || opts.height) await page.setViewportSize({ width: opts.width ?? 420, height: opts.height ?? 720 });
    const view = new View(page, server, opts);
    page.on('request', (r) => view.requests.push(r.url()));
    page.on('pageerror', (e) => view.pageErrors.push(String(e?.stack ?? e)));
    page.on('console', (m) => {
      if (m.type() === 'error') view.consoleErrors.push(m.text());
    });
    await page.exposeFunction('__tlViolation', (v: Violation) => view.violations.push(v));
    const theme = THEMES[opts.theme ?? 'dark'];
    await page.addInitScript(installVsCodeMock, { state: opts.state, theme } satisfies MockInit);
    await page.goto(server.origin + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    return { view, page };
  }

  function run(a: ViewOptions | ((v: View) => Promise<void>), b?: (v: View) => Promise<void>): () => Promise<void> {
    const opts = typeof a === 'function' ? {} : a;
    const body = typeof a === 'function' ? a : b!;
    return async () => {
      const { view, page } = await open(opts);
      try {
        await body(view);
        await view.page.evaluate(() => 0); // lets pending reports (bindings, console) arrive
        const problems = view.problems();
        assert.deepEqual(problems, [], 'the page did something it must not:\n' + problems.join('\n'));
      } finally {
        await page.close();
      }
    };
  }

  return {
    get browser() {
      return browser!;
    },
    get server() {
      return server!;
    },
    run,
    open,
  };
}
