// The chat webview's entry. It renders what the host sends and posts the user's intents; it owns no
// conversation state and makes no requests (README, Design: the host owns state, network and secrets).
// Handshake: post `ready`, show a loading state, render on `snapshot`.
import './styles.css';
import type { TurnStatus } from '../core/types';
import type { HostToWebview, ViewState, WebviewToHost } from '../shared/protocol';
import { button, h, icon } from './dom';
import { endpointHost } from './format';
import { readState, StateSaver, type PersistedState } from './state';
import { hostApi } from './vscodeApi';
import { Composer } from './view/composer';
import { emptyState } from './view/emptyState';
import { History } from './view/history';
import type { MessageContext } from './view/message';
import { Notices } from './view/notices';
import { Transcript } from './view/transcript';

const api = hostApi();
const post = (m: WebviewToHost): void => api.post(m);
const persisted: PersistedState = readState(api.getState());
let viewState: ViewState | undefined;
let shown = false;

const busy = (): boolean => !!viewState?.busy || transcript.streaming;
const blockedReason = (): string | undefined =>
  busy() ? 'An answer is still being written. Wait for it to finish, or press Stop.' : undefined;
const ctx: MessageContext = { post, blockedReason };

const transcript = new Transcript(ctx, { changed: refresh, scrolled: () => saver.schedule() });
const composer = new Composer({ post, blockedReason, draftChanged: () => saver.schedule() });
const notices = new Notices(ctx, retryTarget);
const empty = h('div', { class: 'empty-wrap', hidden: true });
transcript.scroller.appendChild(empty);
composer.restore(persisted.draft);

// The header: the conversation's title, Copy as Markdown, and the History toggle.
const copied = h('span', { class: 'sr-only', role: 'status' });
let copiedTimer = 0;
const copyButton = button({ label: 'Copy as Markdown', icon: 'copy', onClick: () => {
  post({ type: 'copyAsMarkdown' });
  copyButton.firstElementChild!.className = 'codicon codicon-check';
  copied.textContent = 'Copied the chat as Markdown.';
  clearTimeout(copiedTimer);
  copiedTimer = window.setTimeout(() => {
    copyButton.firstElementChild!.className = 'codicon codicon-copy';
    copied.textContent = '';
  }, 2000);
} });
/** Where the transcript was when the history opened over it, to come back to the same place. */
let beforeHistory: { conversationId: string | undefined; top: number; atBottom: boolean } | undefined;
const history = new History({
  post,
  toggled: (open) => {
    if (open) beforeHistory = { conversationId: transcript.conversationId, ...transcript.scrollState() };
    transcript.scroller.hidden = open;
    if (!open) {
      const same = beforeHistory?.conversationId === transcript.conversationId;
      transcript.restoreScroll(same && beforeHistory ? beforeHistory : { top: 0, atBottom: true });
    }
  },
  picked: () => composer.focus(),
});
const header = h('div', { class: 'conv-header' }, transcript.title, copyButton, history.toggle, copied);

const saver = new StateSaver(() => {
  const id = transcript.conversationId;
  const state: PersistedState = {
    v: 1,
    draft: composer.draft(),
    scroll: shown && id ? { conversationId: id, ...transcript.scrollState() } : persisted.scroll,
  };
  api.setState(state);
});

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app', class: 'app' }));
const loading = h('div', { class: 'loading', role: 'status' }, icon('loading', 'codicon-modifier-spin'), h('span', {}, 'Loading conversation…'));
app.replaceChildren(notices.el, loading);

function show(): void {
  if (shown) return;
  shown = true;
  app.replaceChildren(header, notices.el, transcript.scroller, history.el, composer.el);
}

let emptyFor = '';
function refresh(): void {
  if (!viewState) return;
  composer.setStreaming(busy());
  composer.setModel(viewState.model, `Model ${viewState.model} at ${endpointHost(viewState.endpoint)}, chaining: ${viewState.chaining}`);
  composer.setEffort(viewState.effort, viewState.model);
  const isEmpty = transcript.isEmpty;
  empty.hidden = !isEmpty;
  copyButton.hidden = isEmpty;
  const sig = JSON.stringify([viewState.hasKey, viewState.model, viewState.endpoint]);
  if (isEmpty && sig !== emptyFor) {
    empty.replaceChildren(emptyState(viewState, post, () => history.open()));
    emptyFor = sig;
  }
}

const RETRYABLE: ReadonlySet<TurnStatus> = new Set(['failed', 'cancelled', 'incomplete', 'interrupted']);
function retryTarget(): string | undefined {
  const last = transcript.turns[transcript.turns.length - 1];
  return last && RETRYABLE.has(last.status) ? last.id : undefined;
}

function handle(m: HostToWebview): void {
  switch (m.type) {
    case 'snapshot': {
      const first = !shown;
      viewState = m.state;
      show();
      transcript.setConversation(m.conversation);
      if (first && persisted.scroll?.conversationId === m.conversation.id) transcript.restoreScroll(persisted.scroll);
      refresh();
      saver.schedule();
      return;
    }
    case 'state':
      viewState = m.state;
      refresh();
      return;
    case 'earlierTurns':
      if (m.conversationId === transcript.conversationId) transcript.prependEarlier(m.turns, m.hasEarlier);
      return;
    case 'turnStarted':
      if (m.requestId) composer.turnStarted(m.requestId);
      if (shown && m.conversationId === transcript.conversationId) {
        transcript.startTurn(m.turn);
        history.close(false); // show the answer that was asked for
      }
      return;
    case 'delta':
      if (m.conversationId === transcript.conversationId) transcript.appendDelta(m.turnId, m.part, m.text);
      return;
    case 'turnFinished':
      if (shown && m.conversationId === transcript.conversationId) transcript.finishTurn(m.turn);
      return;
    case 'notice':
      if (m.requestId) composer.refused(m.requestId);
      notices.show(m.level, m.message, Array.isArray(m.actions) ? m.actions : []);
      return;
    case 'addAttachments':
      composer.addAttachments(Array.isArray(m.attachments) ? m.attachments : []);
      return;
    case 'setDraft':
      composer.setDraft(m.text);
      return;
    case 'focusComposer':
      composer.focus();
      return;
    case 'history': {
      if (!Array.isArray(m.conversations)) return;
      history.update(m.conversations, m.activeId ?? null, typeof m.total === 'number' ? m.total : m.conversations.length);
      const current = m.activeId === transcript.conversationId && m.conversations.find((c) => c.id === m.activeId);
      if (current) transcript.setTitle(current.title);
      return;
    }
  }
}

window.addEventListener('message', (ev: MessageEvent) => {
  const m: unknown = ev.data;
  if (typeof m !== 'object' || m === null || typeof (m as { type?: unknown }).type !== 'string') return;
  try {
    handle(m as HostToWebview);
  } catch (err) {
    console.error('threadline: could not handle', (m as { type: string }).type, err);
  }
});

// Links never navigate the webview: http(s) links from answers go to the host, anything else does nothing.
// stopPropagation too: VS Code's webview frame listens for clicks on <a> on the window, ignores
// preventDefault, and opens the link itself ("did-click-link"), skipping the host's confirmation.
document.addEventListener('click', (ev) => {
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a) return;
  ev.preventDefault();
  ev.stopPropagation();
  const href = a.getAttribute('href');
  if (a.classList.contains('md-link') && href && /^https?:\/\//i.test(href)) post({ type: 'openLink', href });
}, true);
document.addEventListener('auxclick', (ev) => {
  if ((ev.target as Element | null)?.closest?.('a')) ev.preventDefault();
}, true);
for (const type of ['dragover', 'drop'] as const) document.addEventListener(type, (ev) => ev.preventDefault());

post({ type: 'ready' });
