// Small DOM helpers. Everything is built with createElement and textContent: no HTML strings anywhere.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ' ' + extra : ''}`, 'aria-hidden': 'true' });
}

export interface ButtonOptions {
  /** Accessible name (and tooltip when the button shows only an icon). */
  label: string;
  icon?: string;
  /** Show the label as text next to the icon. */
  text?: boolean;
  class?: string;
  onClick: (ev: MouseEvent) => void;
}

/** A real <button type="button">: focusable, Enter/Space activate it. */
export function button(o: ButtonOptions): HTMLButtonElement {
  const showText = o.text ?? !o.icon;
  const b = h('button', {
    type: 'button',
    class: `btn${showText ? '' : ' icon-btn'}${o.class ? ' ' + o.class : ''}`,
    title: o.label,
    'aria-label': showText ? undefined : o.label,
  });
  if (o.icon) b.appendChild(icon(o.icon));
  if (showText) append(b, h('span', { class: 'btn-text' }, o.label));
  b.addEventListener('click', (ev) => {
    ev.preventDefault();
    o.onClick(ev);
  });
  return b;
}
