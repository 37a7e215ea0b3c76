// The fake's `encrypted_content`: opaque to clients and verifiable by the server that wrote it, as OpenAI's is.
// AES-256-GCM under a key made per server, so a tampered blob, or one from another server, fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What an encrypted item carries: which item and model family it belongs to, and its hidden content. */
export interface SealedPayload {
  itemId: string;
  family: string;
  /** Reasoning: the summary text. Compaction: the user texts it keeps. */
  texts: string[];
}

export class Sealer {
  private readonly key = randomBytes(32);

  seal(payload: SealedPayload): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The payload, or undefined when the blob was not sealed by this server or was changed. */
  open(blob: unknown): SealedPayload | undefined {
    if (typeof blob !== 'string') return undefined;
    const raw = Buffer.from(blob, 'base64');
    if (raw.length < 29) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as SealedPayload;
    } catch {
      return undefined;
    }
  }
}

/** How OpenAI quotes a blob in its error message: the first and last four characters. */
export function quoteBlob(blob: unknown): string {
  const text = String(blob);
  return text.length > 8 ? `${text.slice(0, 4)}...${text.slice(-4)}` : text;
}
