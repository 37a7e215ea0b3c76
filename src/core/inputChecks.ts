// Checks on the endpoint settings, before any request. (What is attached is checked by its kind's
// descriptor, in attachments.ts.)
import { turnError, type TurnError } from './errors';

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
