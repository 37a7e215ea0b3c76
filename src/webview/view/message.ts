// One turn's two messages: the user's question (with its attachments, Edit and branch buttons) and the
// assistant's answer (Thinking block, markdown, status, details, errors, Fork/Regenerate/Retry).
import type { ErrorAction } from '../../core/types';
import type { TurnView, WebviewToHost } from '../../shared/protocol';
import { button, h, icon } from '../dom';
import { ACTION_ICON, ACTION_TEXT, MODE_TEXT, REPLAY_FIDELITY_TEXT, REPLAY_REASON_TEXT, STATUS_TEXT, clockTime, durationText, usageText } from '../format';
import type { MarkdownView } from '../render/markdown';
import { chipButton } from './chip';
import type { ThinkingView } from './thinking';

export interface MessageContext {
  post(msg: WebviewToHost): void;
  /** Why a new turn cannot start now (a streaming answer), or undefined. */
  blockedReason(): string | undefined;
}

export function actionButton(action: ErrorAction, ctx: MessageContext, turnId?: string): HTMLButtonElement | undefined {
  const needsTurn = action === 'retry' || action === 'compact';
  if (needsTurn && !turnId) return undefined;
  return button({
    label: ACTION_TEXT[action],
    icon: ACTION_ICON[action],
    text: true,
    class: 'btn-secondary',
    onClick: () => {
      if (needsTurn) ctx.post({ type: action, turnId: turnId! });
      else ctx.post({ type: action });
    },
  });
}

export function markdownActions(ctx: MessageContext, turnId: string) {
  return {
    copy: (text: string) => ctx.post({ type: 'copy', text }),
    insert: (code: string) => ctx.post({ type: 'insertCode', code }),
    apply: (code: string) => ctx.post({ type: 'applyCode', turnId, code }),
  };
}

export function userArticle(turn: TurnView, ctx: MessageContext): HTMLElement {
  const time = clockTime(turn.createdAt);
  const article = h('article', { class: 'msg msg-user', role: 'article', 'aria-label': time ? `You, ${time}` : 'You' });
  const header = h('div', { class: 'msg-header' }, icon('account', 'msg-avatar'), h('span', { class: 'msg-author' }, 'You'));
  if (time) header.appendChild(h('span', { class: 'msg-meta' }, time));
  header.appendChild(h('span', { class: 'spacer' }));

  if (turn.siblingCount > 1) {
    const prev = button({ label: 'Previous branch', icon: 'chevron-left', onClick: () => ctx.post({ type: 'switchBranch', turnId: turn.id, direction: 'previous' }) });
    const next = button({ label: 'Next branch', icon: 'chevron-right', onClick: () => ctx.post({ type: 'switchBranch', turnId: turn.id, direction: 'next' }) });
    prev.disabled = turn.siblingIndex <= 1;
    next.disabled = turn.siblingIndex >= turn.siblingCount;
    header.appendChild(
      h('span', { class: 'branch-nav', role: 'group', 'aria-label': 'Branches' },
        prev,
        h('span', { class: 'branch-pos', title: `Branch ${turn.siblingIndex} of ${turn.siblingCount}` }, `${turn.siblingIndex}/${turn.siblingCount}`),
        next),
    );
  }

  const body = h('div', { class: 'msg-body user-text' }, turn.question);
  const chips = turn.attachments.length
    ? h('div', { class: 'chips' }, ...turn.attachments.map((a) => h('span', { class: 'chip' }, chipButton(a, ctx.post))))
    : null;

  const edit = button({ label: 'Edit', icon: 'edit', onClick: () => openEditor() });
  header.appendChild(edit);
  article.append(header, body);
  if (chips) article.appendChild(chips);

  function openEditor(): void {
    if (article.querySelector('.edit-box')) {
      article.querySelector<HTMLTextAreaElement>('.edit-box textarea')?.focus();
      return;
    }
    const ta = h('textarea', { class: 'input', 'aria-label': 'Edit message', rows: 3 });
    ta.value = turn.question;
    const hint = h('div', { class: 'hint', role: 'status' });
    const save = (): void => {
      const blocked = ctx.blockedReason();
      if (blocked) {
        hint.textContent = blocked;
        return;
      }
      if (!ta.value.trim() && turn.attachments.length === 0) {
        hint.textContent = 'Type a message first.';
        return;
      }
      hint.textContent = 'Sending…';
      ctx.post({ type: 'edit', turnId: turn.id, text: ta.value.trim() });
    };
    const close = (): void => {
      box.remove();
      body.hidden = false;
      edit.focus();
    };
    const box = h('div', { class: 'edit-box' },
      ta,
      h('div', { class: 'edit-actions' },
        button({ label: 'Save and send', icon: 'send', text: true, class: 'btn-primary', onClick: save }),
        button({ label: 'Cancel', text: true, class: 'btn-secondary', onClick: close })),
      hint);
    ta.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        close();
      } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        save();
      }
    });
    ta.addEventListener('input', () => (hint.textContent = ''));
    body.hidden = true;
    body.after(box);
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  }
  return article;
}

/**
 * "Regenerate" and its two choices: ask the question again with the conversation's model, or choose one
 * first (the host's picker). Either answer becomes a sibling branch of this turn.
 */
function regenerateMenu(turnId: string, ctx: MessageContext): { toggle: HTMLButtonElement; menu: HTMLElement } {
  const close = (): void => {
    menu.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
  };
  const choose = (pick: boolean) => (): void => {
    close();
    toggle.focus();
    ctx.post({ type: 'regenerate', turnId, choose: pick });
  };
  const toggle = button({
    label: 'Regenerate',
    icon: 'sync',
    onClick: () => {
      const open = menu.hidden;
      menu.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) menu.querySelector<HTMLButtonElement>('button')?.focus();
    },
  });
  toggle.setAttribute('aria-haspopup', 'menu');
  toggle.setAttribute('aria-expanded', 'false');
  const item = (label: string, iconName: string, onClick: () => void): HTMLButtonElement => {
    const b = button({ label, icon: iconName, text: true, class: 'btn-secondary', onClick });
    b.setAttribute('role', 'menuitem');
    return b;
  };
  const menu = h('div', { class: 'regen-menu', role: 'menu', 'aria-label': 'Regenerate', hidden: true },
    item('Same model', 'sync', choose(false)),
    item('Choose model…', 'chip', choose(true)));
  menu.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    close();
    toggle.focus();
  });
  return { toggle, menu };
}

const NOT_IN_CONTEXT = new Set(['failed', 'cancelled', 'incomplete', 'interrupted']);

/**
 * The answer, shown in `md`, below its Thinking block when it has one. A streaming answer's view is fed by
 * the transcript; a finished answer's final text is rendered into it here (a view that streamed the answer
 * keeps the blocks that did not change).
 */
export function assistantArticle(turn: TurnView, ctx: MessageContext, md: MarkdownView, thinking: ThinkingView | null): HTMLElement {
  const streaming = turn.status === 'streaming';
  const article = h('article', {
    class: `msg msg-assistant status-${turn.status}`,
    role: 'article',
    'aria-label': `Assistant, ${turn.status}`,
    'aria-busy': streaming ? 'true' : undefined,
  });
  const header = h('div', { class: 'msg-header' }, icon('sparkle', 'msg-avatar'), h('span', { class: 'msg-author' }, 'Assistant'));
  if (streaming) header.appendChild(h('span', { class: 'msg-meta streaming-indicator' }, icon('loading', 'codicon-modifier-spin'), ' Writing…'));
  header.appendChild(h('span', { class: 'spacer' }));
  const regenerate = turn.status === 'completed' ? regenerateMenu(turn.id, ctx) : undefined;
  if (turn.status === 'completed') {
    header.appendChild(button({ label: 'Fork from here', icon: 'repo-forked', onClick: () => ctx.post({ type: 'fork', turnId: turn.id }) }));
    header.appendChild(regenerate!.toggle);
  }
  article.appendChild(header);
  if (regenerate) article.appendChild(regenerate.menu);

  if (!streaming) md.update(turn.answer, false);
  if (thinking) article.appendChild(thinking.el);
  article.appendChild(md.el);
  if (!streaming && !turn.answer.trim() && (turn.status === 'completed' || !turn.error)) {
    md.el.appendChild(h('p', { class: 'muted empty-answer' }, turn.status === 'completed' ? 'The model returned an empty answer.' : 'No answer.'));
  }

  const hasRetryAction = !!turn.error?.actions.includes('retry');
  if (turn.error && !streaming) {
    const err = turn.error;
    const actions = err.actions.map((a) => actionButton(a, ctx, turn.id)).filter((b): b is HTMLButtonElement => !!b);
    const extra = [err.status ? `HTTP ${err.status}` : '', err.code ?? '', err.retryAfter ? `retry after ${err.retryAfter} s` : '', err.requestId ? `request ${err.requestId}` : '']
      .filter(Boolean)
      .join(' · ');
    article.appendChild(
      h('div', { class: `msg-error${turn.status === 'cancelled' ? ' msg-error-quiet' : ''}`, role: turn.status === 'cancelled' ? undefined : 'alert' },
        icon(turn.status === 'cancelled' ? 'circle-slash' : 'error', 'msg-error-icon'),
        h('div', { class: 'msg-error-body' },
          h('div', { class: 'msg-error-text' }, err.message),
          extra ? h('div', { class: 'msg-error-extra' }, extra) : null,
          actions.length ? h('div', { class: 'actions' }, ...actions) : null)),
    );
  }

  if (NOT_IN_CONTEXT.has(turn.status)) {
    const row = h('div', { class: 'msg-status' },
      icon('circle-slash'),
      h('span', {}, `${STATUS_TEXT[turn.status]} · not in the model's context`));
    if (!hasRetryAction) row.appendChild(actionButton('retry', ctx, turn.id)!);
    article.appendChild(row);
  }

  if (!streaming) {
    const parts: string[] = [];
    if (turn.model) parts.push(turn.model);
    if (turn.usage) parts.push(usageText(turn.usage));
    if (turn.mode) parts.push(turn.replayedBecause ? `${MODE_TEXT[turn.mode]}: ${REPLAY_REASON_TEXT[turn.replayedBecause]}` : MODE_TEXT[turn.mode]);
    if (turn.replay) parts.push(REPLAY_FIDELITY_TEXT[turn.replay]);
    if (turn.finishedAt && turn.finishedAt >= turn.createdAt) parts.push(durationText(turn.finishedAt - turn.createdAt));
    if (parts.length) article.appendChild(h('div', { class: 'msg-details' }, parts.join(' · ')));
  }
  return article;
}
