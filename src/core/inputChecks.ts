// Checks on what the user is about to send, before any request: clear limits, never a freeze.
import { turnError, type TurnError } from './errors';
import type { Attachment } from './types';

/** One selection above this is refused: it would not fit a model's context and would stall the UI. */
export const MAX_ATTACHMENT_BYTES = 512 * 1024;
export const MAX_TOTAL_ATTACHMENT_BYTES = 1024 * 1024;

export function checkAttachments(attachments: readonly Attachment[]): TurnError | undefined {
  const refuse = (message: string) => turnError('invalid_input', message);
  let total = 0;
  for (const a of attachments) {
    const bytes = Buffer.byteLength(a.code, 'utf8');
    total += bytes;
    if (bytes > MAX_ATTACHMENT_BYTES) {
      return refuse(`The selection ${a.path}:L${a.startLine}-L${a.endLine} is ${formatBytes(bytes)}; Threadline sends at most ${formatBytes(MAX_ATTACHMENT_BYTES)} per selection. Select less code.`);
    }
    if (a.code.includes('\u0000')) {
      return refuse(`${a.path} looks like a binary file (it contains NUL bytes), so it was not attached.`);
    }
  }
  if (total > MAX_TOTAL_ATTACHMENT_BYTES) {
    return refuse(`The selections add up to ${formatBytes(total)}; Threadline sends at most ${formatBytes(MAX_TOTAL_ATTACHMENT_BYTES)} per turn. Select less code.`);
  }
  return undefined;
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

export interface EndpointSettings {
  baseURL: string;
  model: string;
}

/** What is wrong with the settings, or undefined when a request can be made. */
export function checkSettings(s: EndpointSettings): TurnError | undefined {
  const problem = settingsProblem(s);
  return problem === undefined ? undefined : turnError('invalid_settings', problem);
}

function settingsProblem(s: EndpointSettings): string | undefined {
  let url: URL;
  try {
    url = new URL(s.baseURL);
  } catch {
    return `threadline.baseURL "${s.baseURL}" is not a URL. Use the endpoint with /v1, for example https://api.openai.com/v1.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    // "localhost:8080/v1" parses too, with "localhost:" as its scheme: then suggest the http:// form.
    const hint = /^[a-z][\w+.-]*:\/\//i.test(s.baseURL) ? '' : `, for example http://${s.baseURL}`;
    return `threadline.baseURL "${s.baseURL}" must start with https:// or http://${hint}.`;
  }
  if (url.username || url.password) {
    return `threadline.baseURL must not contain a user name or password; set the key with "Threadline: Set API Key".`;
  }
  if (!s.model.trim()) return 'threadline.model is empty. Set the model to ask, for example gpt-5.1.';
  return undefined;
}
