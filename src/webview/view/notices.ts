// Banners for `notice` messages: dismissible, with the notice's actions as buttons.
import type { ErrorAction } from '../../core/types';
import { button, h, icon } from '../dom';
import { actionButton, type MessageContext } from './message';

const MAX_NOTICES = 3;

export class Notices {
  readonly el: HTMLElement;

  constructor(private readonly ctx: MessageContext, private readonly retryTarget: () => string | undefined) {
    this.el = h('div', { class: 'notices' });
  }

  show(level: 'info' | 'warning' | 'error', message: string, actions: ErrorAction[]): void {
    for (const old of this.el.querySelectorAll<HTMLElement>('.notice')) {
      if (old.dataset.message === message) old.remove();
    }
    const banner = h('div', { class: `notice notice-${level}`, role: level === 'info' ? 'status' : 'alert' });
    banner.dataset.message = message;
    const buttons = actions
      .map((a) => actionButton(a, this.ctx, a === 'retry' ? this.retryTarget() : undefined))
      .filter((b): b is HTMLButtonElement => !!b);
    for (const b of buttons) b.addEventListener('click', () => banner.remove());
    const dismiss = button({ label: 'Dismiss', icon: 'close', class: 'notice-dismiss', onClick: () => this.dismiss(banner) });
    banner.append(
      icon(level === 'info' ? 'info' : level, 'notice-icon'),
      h('div', { class: 'notice-body' }, h('div', { class: 'notice-text' }, message), buttons.length ? h('div', { class: 'actions' }, ...buttons) : null),
      dismiss,
    );
    this.el.appendChild(banner);
    while (this.el.children.length > MAX_NOTICES) this.el.firstElementChild?.remove();
  }

  private dismiss(banner: HTMLElement): void {
    const next = banner.nextElementSibling ?? banner.previousElementSibling;
    banner.remove();
    (next?.querySelector<HTMLElement>('.notice-dismiss') ?? document.querySelector<HTMLElement>('textarea[aria-label="Message"]'))?.focus();
  }
}
