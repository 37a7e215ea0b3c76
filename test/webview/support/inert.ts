// The sanitisation corpus and the check that a page built from it is inert, shared by the suites that render
// model output (answers in security.test.ts, reasoning summaries in thinking.test.ts).
import assert from 'node:assert/strict';
import corpus from '../../fixtures/sanitisation-corpus.json';
import type { View } from './harness';

// Shared with the e2e test, which renders the same corpus in the real webview inside VS Code.
export const CORPUS = (corpus as string[]).join('\n\n');

const FORBIDDEN = 'script, img, iframe, svg, math, style, form, input, button:not(.btn):not(.chip-label):not(.chip-remove), object, embed, link, meta, base, video, audio, details, select, textarea, frame, frameset, template, source, picture, canvas';

/** Everything in the page is safe: no foreign elements, no handler attributes, links http(s) only. */
export async function assertInert(v: View) {
  const report = await v.page.evaluate((forbidden) => {
    const log = document.querySelector('.scroller')!;
    const notices = document.querySelector('.notices')!;
    const bad = [...log.querySelectorAll(forbidden), ...notices.querySelectorAll(forbidden)].map((e) => e.outerHTML.slice(0, 80));
    const handlers: string[] = [];
    const styled: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) handlers.push(`${el.tagName} ${a.name}`);
        if (a.name === 'style' && el !== document.documentElement) styled.push(el.tagName);
        if (/^(src|srcdoc|action|formaction|xlink:href|data|background|poster)$/i.test(a.name) && el.tagName !== 'SCRIPT') handlers.push(`${el.tagName} ${a.name}`);
      }
    }
    const hrefs = [...document.querySelectorAll('[href]')].map((e) => e.getAttribute('href')!).filter((h) => !/^https?:\/\//i.test(h) && !h.endsWith('/main.css'));
    return { bad, handlers, styled, hrefs, pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null };
  }, FORBIDDEN);
  assert.deepEqual(report, { bad: [], handlers: [], styled: [], hrefs: [], pwned: null });
}
