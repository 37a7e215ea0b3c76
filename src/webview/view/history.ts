// The chat history in the view: this workspace's conversations, most recently used first, with when each
// was last used and the active one marked. Enter or a click switches; Rename edits the title in place;
// Delete asks the host, which confirms in a modal dialog. The list comes from the host (`history`), asked
// for each time the panel opens. Keys: ArrowUp/ArrowDown/Home/End move between chats, F2 renames, Delete
// deletes, Escape closes the panel.
import type { ConversationSummary } from '../../core/types';
import { LIMITS } from '../../shared/limits';
import { CHAT_ACTIONS, type ChatAction, type WebviewToHost } from '../../shared/protocol';
import { relativeTime } from '../../shared/relativeTime';
import { button, h, icon } from '../dom';
import { nextRequestId } from '../requestId';

export interface HistoryEvents {
  post(m: WebviewToHost): void;
  /** The panel opened or closed: show it instead of the transcript, or the transcript again. */
  toggled(open: boolean): void;
  /** A chat was picked (or New Chat): the keyboard goes to the composer. */
  picked(): void;
}

/** A control in the list: which chat, at which position, which of its buttons. */
interface Place {
  id: string;
  at: number;
  control: number;
}

export class History {
  readonly toggle: HTMLButtonElement;
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private readonly more: HTMLButtonElement;
  private items: ConversationSummary[] = [];
  private activeId: string | null = null;
  private total = 0;
  private loaded = false;
  /** Move the keyboard into the list when it arrives (the panel was just opened). */
  private focusOnUpdate = false;
  /** The chat whose title is being edited; updates wait until the edit ends. */
  private editing: string | undefined;
  /** Where the keyboard was when Delete was asked for: the host's modal dialog takes the focus away. */
  private restore: Place | undefined;

  constructor(private readonly ev: HistoryEvents) {
    this.toggle = button({ label: 'History', icon: 'history', onClick: () => this.setOpen(this.el.hidden) });
    this.toggle.title = 'Chat history (this workspace)';
    this.toggle.setAttribute('aria-expanded', 'false');
    this.toggle.setAttribute('aria-controls', 'history');
    this.list = h('ul', { class: 'history-list', role: 'list' });
    this.status = h('p', { class: 'history-status muted', role: 'status' });
    this.more = button({ label: 'Show all chats', icon: 'list-flat', text: true, class: 'btn-link', onClick: () => this.ev.post({ type: 'showHistory' }) });
    const newChat = button({ label: 'New Chat', icon: 'add', text: true, class: 'btn-secondary', onClick: () => {
      this.ev.post({ type: 'newChat' });
      this.close(false);
      this.ev.picked();
    } });
    this.el = h('section', { id: 'history', class: 'history', 'aria-label': 'Chat history', hidden: true },
      h('div', { class: 'history-head' }, h('h2', {}, 'Chats in this workspace'), newChat),
      this.list, this.status, this.more);
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.el.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      this.close(true);
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  setOpen(open: boolean): void {
    if (open) this.open();
    else this.close(true);
  }

  open(): void {
    if (this.isOpen) return;
    this.el.hidden = false;
    this.toggle.setAttribute('aria-expanded', 'true');
    this.ev.toggled(true);
    this.render();
    this.focusOnUpdate = true;
    if (this.loaded) this.focusCurrent();
    // Always ask: the times and the order may have changed since the last list.
    this.ev.post({ type: 'requestHistory', requestId: nextRequestId() });
  }

  /** Closes the panel; `refocus` puts the keyboard back on the History button. */
  close(refocus: boolean): void {
    if (!this.isOpen) return;
    this.editing = undefined;
    this.el.hidden = true;
    this.toggle.setAttribute('aria-expanded', 'false');
    this.ev.toggled(false);
    if (refocus) this.toggle.focus();
  }

  /** A `history` message from the host. */
  update(items: ConversationSummary[], activeId: string | null, total: number): void {
    this.items = items;
    this.activeId = activeId;
    this.total = total;
    this.loaded = true;
    if (this.isOpen) this.render();
  }

  private render(): void {
    if (this.editing) return; // finishing the edit renders
    const focused = document.activeElement as HTMLElement | null;
    let keep = (focused && this.placeOf(focused)) || undefined;
    if (!keep && (!focused || focused === document.body)) keep = this.restore;
    this.restore = undefined;

    this.list.replaceChildren(...this.items.map((c) => this.row(c)));
    this.status.textContent = !this.loaded ? 'Loading chats…' : this.items.length ? '' : 'No chats in this workspace yet.';
    this.status.hidden = !this.status.textContent;
    this.more.hidden = this.total <= this.items.length;
    this.more.querySelector('.btn-text')!.textContent = `Show all ${this.total} chats…`;

    if (keep) {
      // Keep the keyboard where it was: the same control of the same chat, else the chat now in that place.
      const same = this.rowOf(keep.id);
      const target = same
        ? same.querySelectorAll<HTMLElement>('button')[Math.max(0, keep.control)]
        : this.openers()[Math.min(keep.at, this.items.length - 1)];
      (target ?? this.el.querySelector<HTMLElement>('.history-head button'))?.focus();
    } else if (this.focusOnUpdate && this.loaded) {
      const f = document.activeElement;
      if (!f || f === document.body || f === this.toggle) this.focusCurrent();
    }
    if (this.loaded) this.focusOnUpdate = false;
  }

  private row(c: ConversationSummary): HTMLElement {
    const active = c.id === this.activeId;
    const when = relativeTime(c.updatedAt);
    const open = h('button', { type: 'button', class: 'history-open', title: c.title, 'aria-current': active ? 'true' : undefined },
      icon(active ? 'comment-discussion' : 'comment', 'history-icon'),
      h('span', { class: 'history-text' },
        h('span', { class: 'history-title' }, c.title),
        h('span', { class: 'history-meta' }, active ? `Active · ${when}` : when)));
    open.addEventListener('click', () => this.pick(c.id));
    return h('li', { class: `history-item${active ? ' active' : ''}`, 'data-id': c.id },
      open,
      button({ label: 'Rename', icon: 'edit', class: 'history-action', onClick: () => this.rename(c.id) }),
      ...(Object.keys(CHAT_ACTIONS) as ChatAction[]).map((action) => button({
        label: CHAT_ACTIONS[action].label,
        icon: CHAT_ACTIONS[action].icon,
        class: 'history-action',
        onClick: () => this.ev.post({ type: 'chatAction', action, conversationId: c.id }),
      })),
      button({ label: 'Delete', icon: 'trash', class: 'history-action', onClick: () => this.remove(c.id) }));
  }

  private placeOf(el: Element): Place | undefined {
    const row = this.list.contains(el) ? el.closest<HTMLElement>('.history-item') : null;
    if (!row) return undefined;
    return { id: row.dataset.id!, at: [...this.list.children].indexOf(row), control: [...row.querySelectorAll('button')].indexOf(el as HTMLButtonElement) };
  }

  private rowOf(id: string): HTMLElement | undefined {
    return [...this.list.children].find((li) => (li as HTMLElement).dataset.id === id) as HTMLElement | undefined;
  }

  private openers(): HTMLElement[] {
    return [...this.list.querySelectorAll<HTMLElement>('.history-open')];
  }

  private focusCurrent(): void {
    const rows = this.openers();
    const target = (this.activeId && this.rowOf(this.activeId)?.querySelector<HTMLElement>('.history-open')) || rows[0];
    target?.focus();
  }

  private pick(id: string): void {
    if (id !== this.activeId) this.ev.post({ type: 'switchConversation', conversationId: id });
    this.close(false);
    this.ev.picked();
  }

  private remove(id: string): void {
    const focused = document.activeElement;
    this.restore = (focused && this.placeOf(focused)) || undefined;
    this.ev.post({ type: 'deleteConversation', conversationId: id });
  }

  /** Replaces the chat's button with a textbox: Enter or leaving it saves, Escape cancels. */
  private rename(id: string): void {
    const row = this.rowOf(id);
    const item = this.items.find((c) => c.id === id);
    const open = row?.querySelector('.history-open');
    if (!row || !item || !open || this.editing) return;
    this.editing = id;
    const input = h('input', { type: 'text', class: 'input history-rename', 'aria-label': 'Chat title', maxlength: LIMITS.maxTitleChars, spellcheck: 'false' });
    input.value = item.title;
    let done = false;
    const finish = (save: boolean, refocus: boolean): void => {
      if (done) return;
      done = true;
      const title = input.value.replace(/\s+/g, ' ').trim();
      if (save && title && title !== item.title) {
        item.title = title; // shown at once; the host's next list has the final word
        this.ev.post({ type: 'renameConversation', conversationId: id, title });
      }
      this.editing = undefined;
      if (!this.isOpen) return;
      if (refocus) input.focus(); // so that render() keeps the keyboard on this chat
      this.render();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.isComposing) {
        e.preventDefault();
        finish(true, true);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        finish(false, true);
      }
    });
    input.addEventListener('blur', () => finish(true, false));
    open.replaceWith(input);
    input.focus();
    input.select();
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('.history-item');
    if (!row || target.tagName === 'INPUT') return;
    const rows = this.openers();
    const at = rows.indexOf(row.querySelector<HTMLElement>('.history-open')!);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = rows[at + 1];
    else if (e.key === 'ArrowUp') next = rows[at - 1];
    else if (e.key === 'Home') next = rows[0];
    else if (e.key === 'End') next = rows[rows.length - 1];
    else if (e.key === 'F2') this.rename(row.dataset.id!);
    else if (e.key === 'Delete') this.remove(row.dataset.id!);
    else return;
    e.preventDefault();
    next?.focus();
  }
}
