// One real VS Code session for the e2e tests: the fake Responses server as a process, code-server with
// Threadline installed from the built .vsix, and headless Chromium driving the workbench. It records
// every request made by the chat webview's frames and every CSP violation, for the tests to assert on.
/* global window, location */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { execFileSync } from 'node:child_process';
import { REPO, harnessPaths, launchChromium, startCodeServer, workbenchUrl, writeUserSettings } from '../../tools/vscode-harness/lib.mjs';

export const API_KEY = 'sk-threadline-e2e-key';

/** Starts the fake server process and returns its URL, a control helper and stop(). */
async function startFake(apiKey = API_KEY) {
  const child = spawn(process.execPath, [path.join(REPO, 'dist/test/support/fakeServerMain.js'), '--key', apiKey, '--recall', '--chunk', '3', '--delay', '8'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  const { url } = JSON.parse(line);
  const origin = new URL(url).origin;
  const control = async (route, body) => {
    const res = await fetch(`${origin}/__${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`fake /__${route}: ${res.status}`);
    return res.json();
  };
  return {
    url,
    control,
    /** The POST /v1/responses bodies, oldest first. */
    posts: async () => (await control('requests')).filter((r) => r.method === 'POST' && r.path === '/v1/responses').map((r) => r.body),
    streams: () => control('streams'),
    stop: () => child.kill('SIGTERM'),
  };
}

/**
 * Opens the workbench on a copy of the fixture workspace with Threadline installed from `vsix`.
 * opts: { vsix, shots (folder for screenshots), theme, apiKey (the key the fake requires; default API_KEY),
 *   envKey (false: no OPENAI_API_KEY in VS Code's environment, so the key must be set with "Set API Key"),
 *   captureMessages (record every message that reaches a webview frame, for session.webviewMessages()),
 *   settings (more user settings, over the defaults below) }
 */
export async function openSession(opts) {
  const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-e2e-'));
  const workspace = path.join(sandbox, 'workspace');
  fs.cpSync(path.join(REPO, 'test/fixtures/e2e-workspace'), workspace, { recursive: true });
  const apiKey = opts.apiKey ?? API_KEY;
  const fake = await startFake(apiKey);
  const { node, codeServer } = harnessPaths();
  const exts = path.join(sandbox, 'exts');
  execFileSync(node, [codeServer, '--extensions-dir', exts, '--user-data-dir', path.join(sandbox, 'ud'), '--install-extension', opts.vsix], {
    stdio: 'ignore',
    env: { ...process.env, HOME: path.join(sandbox, 'home'), XDG_CONFIG_HOME: path.join(sandbox, 'config'), XDG_DATA_HOME: path.join(sandbox, 'data') },
  });
  const settingsFile = writeUserSettings(path.join(sandbox, 'ud'), {
    'threadline.baseURL': fake.url,
    'threadline.model': 'gpt-5.1',
    'workbench.colorTheme': opts.theme ?? 'Default Dark Modern',
    'window.zoomLevel': 0,
    'remote.autoForwardPorts': false,
    ...opts.settings,
  });
  const server = await startCodeServer({ sandbox, extensionsDir: exts, env: opts.envKey === false ? {} : { OPENAI_API_KEY: apiKey } });
  const browser = await launchChromium({ profileDir: path.join(sandbox, 'profile'), home: path.join(sandbox, 'home'), viewport: { width: 1280, height: 800 } });
  const { page } = browser;

  // What the webview does on the network, and every CSP report, from any frame.
  const webviewRequests = [];
  const cspViolations = [];
  browser.ctx.on('request', (r) => {
    const frameUrl = (() => { try { return r.frame().url(); } catch { return ''; } })();
    if (/webview/i.test(frameUrl) || /vscode-cdn|vscode-resource|vscode-webview/.test(r.url())) webviewRequests.push(r.url());
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text())) cspViolations.push(m.text());
  });

  await page.goto(workbenchUrl(server, { workspace }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const activity = page.locator('.activitybar [aria-label^="Threadline"]').first();
  await activity.waitFor({ timeout: 60_000 });
  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  if (opts.captureMessages) {
    // VS Code's webview host frame (pre/index.html) relays both directions over a MessagePort to the
    // workbench: wrap the port there, before its scripts run, and keep every message as JSON text.
    await browser.ctx.addInitScript(() => {
      if (!/webview/i.test(location.href)) return;
      const seen = (window.__tlMessages = []);
      const keep = (d) => { try { seen.push(typeof d === 'string' ? d : JSON.stringify(d)); } catch { seen.push(String(d)); } };
      const post = MessagePort.prototype.postMessage;
      MessagePort.prototype.postMessage = function (message, ...rest) { keep(message); return post.call(this, message, ...rest); };
      const on = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
      Object.defineProperty(MessagePort.prototype, 'onmessage', {
        configurable: true,
        get() { return on.get.call(this); },
        set(fn) { on.set.call(this, typeof fn === 'function' ? function (e) { keep(e.data); return fn.call(this, e); } : fn); },
      });
      window.addEventListener('message', (e) => keep(e.data), true);
    });
  }

  const session = {
    sandbox,
    page,
    webview,
    fake,
    workspace,
    settingsFile,
    webviewRequests,
    cspViolations,
    async openChat() {
      const chat = webview.getByRole('textbox', { name: 'Message' });
      // After a reload the side bar may already be restoring Threadline's view while its webview loads: a
      // click on the activity icon then would close the side bar. Click only when another view (or none)
      // is showing.
      const sidebarTitle = page.locator('[id="workbench.parts.sidebar"] .composite.title');
      const ours = async () => /Threadline/i.test((await sidebarTitle.textContent({ timeout: 2_000 }).catch(() => '')) ?? '');
      if (!(await chat.isVisible().catch(() => false)) && !(await ours())) await activity.click();
      await chat.waitFor({ timeout: 30_000 });
      return chat;
    },
    async shot(name) {
      if (!opts.shots) return;
      fs.mkdirSync(opts.shots, { recursive: true });
      await page.screenshot({ path: path.join(opts.shots, name) });
    },
    /** For a failed test: a screenshot under test-results/, which CI keeps no longer than the run. */
    async failureShot(title) {
      const dir = path.join(REPO, 'test-results', 'e2e-failures');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${title.replace(/[^\w]+/g, '-').slice(0, 60)}.png`);
      await page.screenshot({ path: file }).catch(() => {});
      console.log(`    screenshot of the failure: ${file}`);
    },
    /** Drags the sash between the side bar and the editor until the side bar is `width` px wide. */
    async widenSidebar(width) {
      const bar = page.locator('[id="workbench.parts.sidebar"]');
      const box = await bar.boundingBox();
      const sash = await page.locator('.monaco-sash.primary-sidebar-sash').boundingBox();
      if (!box || !sash || box.width >= width) return;
      const x = sash.x + sash.width / 2;
      const y = sash.y + sash.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + (width - box.width), y, { steps: 8 });
      await page.mouse.up();
      await page.mouse.move(x + (width - box.width) + 200, y); // off the sash, which stays lit while hovered
      const now = (await bar.boundingBox())?.width ?? 0;
      if (Math.abs(now - width) > 8) throw new Error(`dragging the sash left the side bar ${now}px wide, not ${width}px`);
    },
    /** With captureMessages: every message that reached a webview frame so far, as JSON text. */
    async webviewMessages() {
      const all = [];
      for (const f of page.frames()) all.push(...(await f.evaluate(() => window.__tlMessages ?? []).catch(() => [])));
      return all;
    },
    /** Reloads the workbench on another folder (same user data): a copy of the fixture at `relativePath` in the sandbox. */
    async openFolder(relativePath) {
      const folder = path.join(sandbox, relativePath);
      fs.cpSync(path.join(REPO, 'test/fixtures/e2e-workspace'), folder, { recursive: true });
      await page.goto(workbenchUrl(server, { workspace: folder }));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await activity.waitFor({ timeout: 60_000 });
      return folder;
    },
    /** Opens `file` (found with Quick Open) and selects lines `from`-`to` whole; returns the editor's lines. */
    async selectLines(file, from, to) {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill(file);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
      await page.keyboard.press('Enter');
      const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
      await lines.waitFor();
      await lines.click();
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').fill(`:${from}`);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Home');
      await page.keyboard.press('Home');
      for (let i = from; i < to; i++) await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+End');
      return lines;
    },
    async runCommand(title) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
      await page.keyboard.press('Enter');
    },
    async stop() {
      await browser.close();
      await server.stop();
      fake.stop();
      fs.rmSync(sandbox, { recursive: true, force: true });
    },
  };
  return session;
}

/**
 * Mocha hooks for a suite with one session: opened before the suite (with `openSession(opts)`), a screenshot
 * of each failed test, stopped after the suite. Returns the session, usable from the first test on.
 */
export function useSession(opts) {
  let session;
  before(async () => {
    if (!opts.vsix) throw new Error('THREADLINE_VSIX names the .vsix to install (scripts/e2e.mjs sets it)');
    session = await openSession(opts);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await session?.failureShot(this.currentTest.title);
  });
  after(async () => {
    await session?.stop();
  });
  return new Proxy({}, {
    get(_target, key) {
      if (!session) throw new Error('the e2e session opens in the suite\'s before hook');
      return session[key];
    },
  });
}
