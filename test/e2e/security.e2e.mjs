// Security through the real VS Code UI (code-server + headless Chromium, Threadline from the .vsix):
//   - the API key is set the way a user sets it, by typing it into "Threadline: Set API Key" (VS Code has no
//     OPENAI_API_KEY here); after a session with it, the key is in no file of the sandbox (user data, logs,
//     global storage, browser profile), not in globalState or localStorage as the workbench holds them, and in
//     no message between the host and the chat view;
//   - model output is untrusted: the sanitisation corpus, as a real answer in the real view, runs no script,
//     loads nothing and breaks no CSP rule; its one http link opens only after a modal confirmation.
/* global window, document, indexedDB */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../../tools/vscode-harness/lib.mjs';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;

// The corpus that test/webview/security.test.ts checks against the renderer alone.
const CORPUS = JSON.parse(fs.readFileSync(new URL('../fixtures/sanitisation-corpus.json', import.meta.url), 'utf8')).join('\n\n');

describe('e2e: security in the real VS Code', function () {
  this.timeout(180_000);
  // A fresh key per run, so that nothing on disk can match it by accident.
  const KEY = `sk-e2e-${randomBytes(18).toString('hex')}`;
  const s = useSession({ vsix: VSIX, apiKey: KEY, envKey: false, captureMessages: true });
  let chat;
  /** What was observed, for docs/reliability.md. */
  const report = { corpus: {}, link: {} };
  const assistant = () => s.webview.getByRole('article', { name: /^Assistant/ });
  const send = async (text, n) => {
    await chat.fill(text);
    await s.webview.getByRole('button', { name: 'Send' }).click();
    await assistant().nth(n - 1).waitFor();
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });
  };
  const webviewFrames = () => s.page.frames().filter((f) => /webview/i.test(f.url()));

  after(async () => {
    // Recorded outcomes, then docs/reliability.md again with this section (see scripts/reliability-report.mjs).
    const dir = path.join(REPO, 'test-results', 'reliability');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'e2e-security.json'), JSON.stringify({ section: 'e2e-security', at: new Date().toISOString(), data: report }, null, 2));
    spawnSync(process.execPath, [path.join(REPO, 'scripts/reliability-report.mjs')], { stdio: 'inherit' });
  });

  it('sets the key by typing it into "Threadline: Set API Key", and the next turn uses it', async () => {
    chat = await s.openChat();
    await s.runCommand('Threadline: Set API Key');
    // The palette's input becomes the key box: a password field, which hides what is typed.
    const box = s.page.locator('.quick-input-widget input[type="password"]');
    await box.waitFor({ timeout: 15_000 });
    await s.page.locator('.quick-input-widget', { hasText: 'Set API Key' }).waitFor();
    await box.pressSequentially(KEY, { delay: 2 });
    await s.page.keyboard.press('Enter');
    await s.page.locator('.notifications-toasts', { hasText: 'API key saved in secret storage' }).waitFor({ timeout: 15_000 });
    await send('Does the stored key work?', 1);
    const requests = (await s.fake.control('requests')).filter((r) => r.method === 'POST' && r.path === '/v1/responses');
    assert.equal(requests.at(-1).headers.authorization, `Bearer ${KEY}`);
    assert.match(await assistant().first().innerText(), /echo#1: Does the stored key work\?/);
  });

  it('renders the sanitisation corpus as an answer: no script runs, nothing loads, no CSP violation', async () => {
    await s.fake.control('script', [{ text: CORPUS }]);
    await send('Show me the corpus', 2);
    const answer = assistant().nth(1);
    assert.match(await answer.innerText(), /<script>window\.__pwned = 1<\/script>/, 'raw HTML is shown as text');
    const frames = webviewFrames();
    assert.ok(frames.length >= 2, `expected the view's frames, found ${frames.map((f) => f.url())}`);
    Object.assign(report.corpus, { pwned: false, elements: 0 });
    for (const f of frames) {
      const seen = await f.evaluate(() => {
        const md = [...document.querySelectorAll('.msg-assistant .markdown')];
        const bad = md.flatMap((m) => [...m.querySelectorAll('script, img, iframe, svg, math, style, form, input, object, embed, link, meta, base, video, audio, details, textarea, select')]);
        const handlers = md.flatMap((m) => [...m.querySelectorAll('*')]).flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`));
        const hrefs = md.flatMap((m) => [...m.querySelectorAll('[href]')]).map((e) => e.getAttribute('href'));
        return { pwned: window.__pwned ?? null, bad: bad.map((e) => e.outerHTML.slice(0, 60)), handlers, hrefs };
      });
      if (seen.pwned !== null) report.corpus.pwned = true;
      report.corpus.elements += seen.bad.length;
      assert.equal(seen.pwned, null, `a payload ran in ${f.url()}`);
      assert.deepEqual(seen.bad, [], 'markup from the answer became elements');
      assert.deepEqual(seen.handlers, []);
      assert.ok(seen.hrefs.every((h) => /^https?:\/\//.test(h)), `a non-http link: ${seen.hrefs}`);
    }
    report.corpus.cspViolations = s.cspViolations.length;
    report.corpus.requests = s.webviewRequests.filter((u) => u.includes('127.0.0.2')).length;
    assert.deepEqual(s.cspViolations, [], 'a CSP violation (nothing should even try to load)');
    assert.deepEqual(s.webviewRequests.filter((u) => u.includes('127.0.0.2')), [], 'the view requested a payload URL');
  });

  it('opens a link from the answer only after a modal confirmation that shows the full URL', async () => {
    const pages = s.page.context().pages().length;
    const link = assistant().nth(1).locator('.markdown a').first();
    assert.equal(await link.getAttribute('href'), 'http://127.0.0.2/a.png');
    await link.click();
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Open this link from the chat in your browser\?[\s\S]*http:\/\/127\.0\.0\.2\/a\.png/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await s.page.waitForTimeout(500);
    report.link.pagesOpenedOnCancel = s.page.context().pages().length - pages;
    assert.equal(s.page.context().pages().length, pages, 'a page opened although the user said Cancel');
    assert.deepEqual(s.webviewRequests.filter((u) => u.includes('127.0.0.2')), []);
  });

  it('keeps the key out of every file, globalState, localStorage and every message to and from the view', async () => {
    // An error path too, then let the workbench flush its state.
    await s.fake.control('fault', { status: 500, times: 3 }); // the first try and the SDK's two retries
    await chat.fill('Into a server error');
    await s.webview.getByRole('button', { name: 'Send' }).click();
    await s.webview.getByText(/had a server error/).first().waitFor({ timeout: 30_000 });
    await s.page.waitForTimeout(1500);

    const needles = [Buffer.from(KEY, 'utf8'), Buffer.from(KEY, 'utf16le'), Buffer.from(Buffer.from(KEY).toString('base64'))];
    const hits = [];
    let files = 0;
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) {
          let data;
          try { data = fs.readFileSync(p); } catch { continue; }
          files++;
          if (needles.some((n) => data.includes(n))) hits.push(path.relative(s.sandbox, p));
        }
      }
    };
    walk(s.sandbox);
    assert.ok(files > 100, `only ${files} files in the sandbox`);
    const logs = [];
    const findLogs = (dir) => fs.existsSync(dir) && fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) findLogs(p);
      else if (e.name === 'Threadline.log') logs.push(p);
    });
    findLogs(path.join(s.sandbox, 'ud', 'logs'));
    assert.ok(logs.length > 0 && fs.readFileSync(logs[0], 'utf8').includes('turn '), 'the Threadline log was not among the files');
    assert.deepEqual(hits, [], 'the key is in these files');

    const state = await s.page.evaluate(async (key) => {
      const out = { databases: [], threadlineState: false, keyInIndexedDB: false, localStorageKeys: [], keyInLocalStorage: false, sealedSecret: false };
      for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((resolve, reject) => { const r = indexedDB.open(name); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
        for (const store of db.objectStoreNames) {
          const text = await new Promise((resolve) => {
            const tx = db.transaction(store, 'readonly');
            const keys = tx.objectStore(store).getAllKeys();
            const values = tx.objectStore(store).getAll();
            tx.oncomplete = () => resolve(JSON.stringify([keys.result, values.result.map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v))]));
            tx.onerror = () => resolve('');
          });
          out.databases.push(`${name}/${store}`);
          if (text.includes('threadline.index.v1')) out.threadlineState = true;
          if (text.includes(key)) out.keyInIndexedDB = true;
        }
        db.close();
      }
      for (let i = 0; i < localStorage.length; i++) {
        const k = localStorage.key(i);
        out.localStorageKeys.push(k);
        if (`${k}${localStorage.getItem(k)}`.includes(key)) out.keyInLocalStorage = true;
        if (k === 'secrets.provider') out.sealedSecret = true;
      }
      return out;
    }, KEY);
    assert.equal(state.threadlineState, true, `Threadline's globalState was not found in ${state.databases}`);
    assert.equal(state.keyInIndexedDB, false, 'the key is in IndexedDB (globalState or workspace state)');
    assert.equal(state.keyInLocalStorage, false, 'the key is in localStorage in clear');
    assert.equal(state.sealedSecret, true, 'VS Code\'s secret storage (sealed) is not where expected');

    const messages = await s.webviewMessages();
    assert.ok(messages.length > 20 && messages.some((m) => m.includes('turnFinished')), `too few view messages captured (${messages.length})`);
    assert.deepEqual(messages.filter((m) => m.includes(KEY)).map((m) => m.slice(0, 120)), [], 'the key is in a view message');
    Object.assign(report, { filesScanned: files, hits: hits.length, indexedDbStores: state.databases.length, viewMessages: messages.length, threadlineLogs: logs.length });
    console.log(`    scanned ${files} files, ${state.databases.length} IndexedDB stores, ${state.localStorageKeys.length} localStorage keys, ${messages.length} view messages, ${logs.length} Threadline log(s)`);
  });
});
