// The attachment chip's button, for the composer's draft and the transcript's questions alike: it shows
// the label and opens the attachment's target in the editor. A kind with nothing to open (terminal
// output) shows its label only.
import type { AttachmentChip, AttachmentKind } from '../../core/attachments';
import type { WebviewToHost } from '../../shared/protocol';
import { h, icon } from '../dom';

/** One codicon per kind: the compiler names a kind that has none. */
const KIND_ICON: Record<AttachmentKind, string> = {
  selection: 'file',
  file: 'file-code',
  problems: 'warning',
  changes: 'git-compare',
  terminal: 'terminal',
};

export function chipButton(chip: AttachmentChip, post: (m: WebviewToHost) => void, title = `Open ${chip.label}`): HTMLElement {
  const open = chip.open;
  if (!open) return h('span', { class: 'chip-label', title: chip.label }, icon(KIND_ICON[chip.kind]), h('span', {}, chip.label));
  const b = h('button', { type: 'button', class: 'chip-label', title }, icon(KIND_ICON[chip.kind]), h('span', {}, chip.label));
  b.addEventListener('click', () => post({ type: 'openAttachment', ...open }));
  return b;
}
