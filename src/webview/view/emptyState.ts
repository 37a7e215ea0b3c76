// What a new conversation shows: how to start, the key if it is missing, and where questions go.
import type { ViewState, WebviewToHost } from '../../shared/protocol';
import { button, h, icon } from '../dom';
import { endpointHost } from '../format';

export function emptyState(state: ViewState, post: (m: WebviewToHost) => void, openHistory: () => void): HTMLElement {
  const el = h('div', { class: 'empty' },
    icon('comment-discussion', 'empty-icon'),
    h('h2', {}, 'Ask about your code'),
    h('p', {}, 'Type a question below and press Enter. Shift+Enter starts a new line.'),
    h('p', {}, 'Or select code in an editor, right-click it and choose ', h('strong', {}, 'Ask Follow-up About Selection'), '.'),
  );
  if (!state.hasKey) {
    el.append(
      h('p', { class: 'empty-key' }, 'Threadline needs an OpenAI API key to answer.'),
      button({ label: 'Set API Key', icon: 'key', text: true, class: 'btn-primary', onClick: () => post({ type: 'setApiKey' }) }),
    );
  }
  el.append(
    h('p', { class: 'empty-meta' }, `${state.model} · ${endpointHost(state.endpoint)}`),
    button({ label: 'Show Chat History', icon: 'history', text: true, class: 'btn-link', onClick: openHistory }),
  );
  return el;
}
