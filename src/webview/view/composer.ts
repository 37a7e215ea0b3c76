// The composer: the "Message" textarea, attachment chips, Send and Stop. The draft (text and chips) is
// persisted by the caller, and cleared only when the host confirms the turn started.
import type { Attachment } from '../../core/types';
import { LIMITS, type TurnView, type WebviewToHost } from '../../shared/protocol';
import { button, h, icon } from '../dom';
import { attachmentLabel } from '../format';

export interface Draft {
  text: string;
  attachments: Attachment[];
}

export interface ComposerContext {
  post(msg: WebviewToHost): void;
  /** Why a new turn cannot start now (a streaming answer), or undefined. */
  blockedReason(): string | undefined;
  /** The draft changed: persist it. */
  draftChanged(): void;
}

const key = (a: Attachment): string => `${a.uri}\u0000${a.startLine}\u0000${a.endLine}\u0000${a.code.length}`;
/** A second Send of the same draft within this window is a double press, not a new turn. */
const RESEND_GUARD_MS = 3000;

export class Composer {
  readonly el: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  readonly sendButton: HTMLButtonElement;
  readonly stopButton: HTMLButtonElement;
  private readonly chipList: HTMLElement;
  private readonly hintEl: HTMLElement;
  private readonly info: HTMLElement;
  private attachments: Attachment[] = [];
  private pending: { raw: string; text: string; keys: Set<string>; at: number } | undefined;
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
    this.info = h('span', { class: 'composer-info' });
    this.el = h('div', { class: 'composer' },
      h('div', { class: 'composer-box' },
        this.chipList,
        this.textarea,
        h('div', { class: 'composer-bar' }, this.info, h('span', { class: 'spacer' }), this.stopButton, this.sendButton)),
      this.hintEl);

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

  setInfo(text: string, title: string): void {
    this.info.textContent = text;
    this.info.title = title;
  }

  /** Stop is shown and enabled only while a turn streams. */
  setStreaming(streaming: boolean): void {
    // Stop disappears when the answer ends: keep the keyboard user in the composer, not on <body>.
    if (!streaming && document.activeElement === this.stopButton) this.textarea.focus();
    this.stopButton.hidden = !streaming;
    this.stopButton.disabled = !streaming;
    this.el.classList.toggle('busy', streaming);
  }

  addAttachments(list: Attachment[], notify = true): void {
    const have = new Set(this.attachments.map(key));
    let dropped = 0;
    for (const a of list) {
      if (!a || a.kind !== 'selection' || have.has(key(a))) continue;
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

  /** The host started a turn. If it is the one we sent, the draft has done its job. */
  turnStarted(turn: TurnView): void {
    const p = this.pending;
    if (!p || turn.question.trim() !== p.text.trim()) return;
    this.pending = undefined;
    if (this.textarea.value === p.raw) this.textarea.value = '';
    this.attachments = this.attachments.filter((a) => !p.keys.has(key(a)));
    this.renderChips();
    this.hint('');
    this.ctx.draftChanged();
  }

  /** The host answered with something other than a started turn: a new Send is a real one. */
  hostReplied(): void {
    if (this.pending) this.pending.at = 0;
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
    const p = this.pending;
    if (p && p.raw === raw && Date.now() - p.at < RESEND_GUARD_MS) {
      this.hint('Sending…');
      return;
    }
    this.pending = { raw, text, keys: new Set(this.attachments.map(key)), at: Date.now() };
    this.hint('Sending…');
    this.ctx.post({ type: 'send', text, attachments: [...this.attachments] });
  }

  private renderChips(): void {
    const items = this.attachments.map((a, i) => {
      const label = attachmentLabel(a);
      const open = h('button', { type: 'button', class: 'chip-label', title: `Open ${label} (Delete removes it)` }, icon('file'), h('span', {}, label));
      open.addEventListener('click', () => this.ctx.post({ type: 'openAttachment', uri: a.uri, startLine: a.startLine, endLine: a.endLine }));
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
    this.hint(`Removed ${attachmentLabel(removed)}.`);
    this.ctx.draftChanged();
  }
}
