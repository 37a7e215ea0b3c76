// What a collector hands back: the attachment, or a sentence saying why there is none. Refusals are
// values, not exceptions, so every caller shows them the same way and nothing is half-sent.
import type { Attachment } from '../../core/types';

export type Collected = { ok: true; attachments: Attachment[] } | { ok: false; message: string };

export const collected = (...attachments: Attachment[]): Collected => ({ ok: true, attachments });
export const refused = (message: string): Collected => ({ ok: false, message });
