// The attachment chip's button, for the composer's draft and the transcript's questions alike: it shows
// the label and opens the attachment's target in the editor.
import type { AttachmentChip } from '../../core/attachments';
import type { WebviewToHost } from '../../shared/protocol';
import { h, icon } from '../dom';

export function chipButton(chip: AttachmentChip, post: (m: WebviewToHost) => void, title = `Open ${chip.label}`): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'chip-label', title }, icon('file'), h('span', {}, chip.label));
  b.addEventListener('click', () => post({ type: 'openAttachment', ...chip.open }));
  return b;
}
