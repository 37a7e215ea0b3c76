// The composer: the "Message" textarea, attachment chips, the "Model: <id>" and "Effort: <level>" buttons (the host's pickers), Send and Stop. The draft (text and chips) is
// persisted by the caller, and cleared only when the host confirms that the turn this composer asked for
// started (the reply echoes the send's request id). The chips carry no attachment contents: the host
// keeps those until a send names the chips.
import type { DraftChip } from '../../core/attachments';
import { LIMITS } from '../../shared/limits';
import type { WebviewToHost } from '../../shared/protocol';
import { button, h, icon } from '../dom';
import { nextRequestId } from '../requestId';
import { chipButton } from './chip';
import { acceptFileDrops } from './fileDrop';

export interface Draft {
  text: string;
  attachments: DraftChip[];
}

export interface ComposerContext {
  post(msg: WebviewToHost): void;
  /** Why a new turn cannot start now (a streaming answer), or undefined. */
  blockedReason(): string | undefined;
  /** The draft changed: persist it. */
  draftChanged(): void;
}

/** The same attachment added twice shows one chip. */
const key = (c: DraftChip): string => `${c.kind}\u0000${c.label}\u0000${c.open?.uri}\u0000${c.open?.startLine}\u0000${c.open?.endLine}`;

export class Composer {
  readonly el: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  readonly sendButton: HTMLButtonElement;
  readonly stopButton: HTMLButtonElement;
  private readonly chipList: HTMLElement;
  private readonly hintEl: HTMLElement;
  private readonly modelButton: HTMLButtonElement;
  private readonly effortButton: HTMLButtonElement;
  private attachments: DraftChip[] = [];
  /** The send awaiting the host's reply: Send again with the same draft is a double press. */
  private pending: { requestId: string; raw: string; ids: Set<string> } | undefined;
  private hintTimer = 0;

  constructor(private readonly ctx: ComposerContext) {
    this.chipList = h('div', { class: 'chips composer-chips', role: 'list', 'aria-label': 'Attachments', hidden: true });
    this.textarea = h('textarea', {
      class: 'input composer-input',
      'aria-label': 'Message',
      placeholder: 'Ask about your code',
      rows: 1,
    });
    this.sendButton = button({ label: 'Send', icon: 'send', class: 'btn-primary send', onClick: () => this.send() });
    this.sendButton.title = 'Send (Enter)';
    this.stopButton = button({ label: 'Stop', icon: 'debug-stop', class: 'stop', onClick: () => this.ctx.post({ type: 'stop' }) });
    this.stopButton.hidden = true;
    this.stopButton.disabled = true;
    this.hintEl = h('div', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    this.modelButton = button({ label: 'Model', icon: 'chip', text: true, class: 'composer-model', onClick: () => this.ctx.post({ type: 'selectModel' }) });
    this.effortButton = button({ label: 'Effort', icon: 'lightbulb', text: true, class: 'composer-effort', onClick: () => this.ctx.post({ type: 'selectEffort' }) });
    this.effortButton.hidden = true;
    const addContext = button({ label: 'Add context', icon: 'attach', class: 'add-context', onClick: () => this.ctx.post({ type: 'addContext' }) });
    addContext.title = 'Add context: a file, problems, changes or terminal output (or Shift+drop files here)';
    this.el = h('div', { class: 'composer' },
      h('div', { class: 'composer-box' },
        this.chipList,
        this.textarea,
        h('div', { class: 'composer-bar' }, addContext, this.modelButton, this.effortButton, h('span', { class: 'spacer' }), this.stopButton, this.sendButton)),
      this.hintEl);
    acceptFileDrops(this.el, this.ctx.post, (text) => this.hint(text));

    this.textarea.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.isComposing || e.keyCode === 229) return;
      e.preventDefault();
      this.send();
    });
    this.textarea.addEventListener('input', () => {
      this.hint('');
      this.ctx.draftChanged();
    });
  }

  draft(): Draft {
    return { text: this.textarea.value, attachments: [...this.attachments] };
  }

  restore(d: Draft): void {
    this.textarea.value = d.text;
    this.attachments = [];
    this.addAttachments(d.attachments, false);
  }

  setDraft(text: string): void {
    this.textarea.value = text;
    this.ctx.draftChanged();
  }

  focus(): void {
    this.textarea.focus();
    const end = this.textarea.value.length;
    this.textarea.setSelectionRange(end, end);
  }

  /** The conversation's model on its button; `title` adds where it is asked. */
  setModel(model: string, title: string): void {
    this.modelButton.querySelector('.btn-text')!.textContent = `Model: ${model}`;
    this.modelButton.title = `${title}. Choose another model`;
  }

  /** The reasoning effort on its button, shown only for a model that takes one (`undefined` hides it). */
  setEffort(effort: string | undefined, model: string): void {
    this.effortButton.hidden = effort === undefined;
    this.effortButton.querySelector('.btn-text')!.textContent = `Effort: ${effort ?? ''}`;
    this.effortButton.title = `Reasoning effort for ${model}: ${effort ?? 'none'}. Choose another level`;
  }

  /** Stop is shown and enabled only while a turn streams. */
  setStreaming(streaming: boolean): void {
    // Stop disappears when the answer ends: keep the keyboard user in the composer, not on <body>.
    if (!streaming && document.activeElement === this.stopButton) this.textarea.focus();
    this.stopButton.hidden = !streaming;
    this.stopButton.disabled = !streaming;
    this.el.classList.toggle('busy', streaming);
  }

  addAttachments(list: readonly DraftChip[], notify = true): void {
    const have = new Set(this.attachments.map(key));
    let dropped = 0;
    for (const a of list) {
      if (have.has(key(a))) continue;
      if (this.attachments.length >= LIMITS.maxAttachments) {
        dropped++;
        continue;
      }
      have.add(key(a));
      this.attachments.push(a);
    }
    if (dropped) this.hint(`At most ${LIMITS.maxAttachments} attachments per message.`);
    this.renderChips();
    if (notify) this.ctx.draftChanged();
  }

  /** The host started the turn that `requestId` asked for: the draft has done its job. */
  turnStarted(requestId: string): void {
    const p = this.pending;
    if (p?.requestId !== requestId) return;
    this.pending = undefined;
    if (this.textarea.value === p.raw) this.textarea.value = '';
    this.attachments = this.attachments.filter((a) => !p.ids.has(a.id));
    this.renderChips();
    this.hint('');
    this.ctx.draftChanged();
  }

  /** The host refused the send `requestId` asked for (its notice says why): the draft stays to fix and send again. */
  refused(requestId: string): void {
    if (this.pending?.requestId !== requestId) return;
    this.pending = undefined;
    this.hint('');
  }

  hint(text: string): void {
    clearTimeout(this.hintTimer);
    this.hintEl.textContent = text;
    if (text) this.hintTimer = window.setTimeout(() => (this.hintEl.textContent = ''), 8000);
  }

  send(): void {
    const raw = this.textarea.value;
    const blocked = this.ctx.blockedReason();
    if (blocked) {
      this.hint(blocked);
      return;
    }
    const text = raw.trim();
    if (!text.trim() && this.attachments.length === 0) {
      this.hint('Type a message, or add a selection from the editor.');
      return;
    }
    if (text.length > LIMITS.maxMessageChars) {
      this.hint('This message is too long to send.');
      return;
    }
    const ids = this.attachments.map((a) => a.id);
    const p = this.pending;
    if (p && p.raw === raw && p.ids.size === ids.length && ids.every((id) => p.ids.has(id))) {
      this.hint('Sending…');
      return;
    }
    const requestId = nextRequestId();
    this.pending = { requestId, raw, ids: new Set(ids) };
    this.hint('Sending…');
    this.ctx.post({ type: 'send', requestId, text, attachments: ids });
  }

  private renderChips(): void {
    const items = this.attachments.map((a, i) => {
      const label = a.label;
      const open = chipButton(a, this.ctx.post, `Open ${label} (Delete removes it)`);
      const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${label}`, title: `Remove ${label}` }, icon('close'));
      remove.addEventListener('click', () => this.removeAt(i));
      for (const b of [open, remove]) {
        b.addEventListener('keydown', (e) => {
          if (e.key === 'Delete' || e.key === 'Backspace') {
            e.preventDefault();
            this.removeAt(i);
          }
        });
      }
      return h('span', { class: 'chip', role: 'listitem' }, open, remove);
    });
    this.chipList.replaceChildren(...items);
    this.chipList.hidden = items.length === 0;
  }

  private removeAt(i: number): void {
    const removed = this.attachments[i];
    if (!removed) return;
    this.attachments.splice(i, 1);
    this.renderChips();
    // Keep the keyboard where it was: the next chip's label, or the message box.
    const labels = this.chipList.querySelectorAll<HTMLButtonElement>('.chip-label');
    (labels[Math.min(i, labels.length - 1)] ?? this.textarea).focus();
    this.hint(`Removed ${removed.label}.`);
    this.ctx.draftChanged();
  }
}
