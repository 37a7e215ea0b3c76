// One error vocabulary for everything that can stop a turn: refused input, bad settings, a missing key
// and every failure of a request. The actions the UI offers for each kind are decided here, once.

export type ErrorKind =
  | 'auth'
  | 'rate_limit'
  | 'quota'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'context_too_long'
  | 'unknown_model'
  | 'previous_response_not_found'
  | 'chaining_unsupported'
  | 'bad_request'
  | 'aborted'
  | 'stream_cut'
  | 'stream_failed'
  | 'incomplete'
  | 'invalid_settings'
  | 'invalid_input'
  | 'busy';

/** What the UI offers next to an error. */
/**
 * `compact`: compact the conversation with the API, then ask the failed turn's question again.
 * `selectModel`: pick another model; Retry then asks the question of it.
 */
export type ErrorAction = 'setApiKey' | 'retry' | 'newChat' | 'openSettings' | 'compact' | 'selectModel';

export interface TurnError {
  kind: ErrorKind;
  /** A sentence for people: what happened and what to do. */
  message: string;
  actions: ErrorAction[];
  status?: number;
  code?: string;
  /** The request parameter the server named, when it named one. */
  param?: string;
  /** Seconds, when the server said how long to wait. */
  retryAfter?: number;
  requestId?: string;
}

const ACTIONS: Record<ErrorKind, ErrorAction[]> = {
  auth: ['setApiKey'],
  rate_limit: ['retry'],
  quota: ['openSettings'],
  server: ['retry'],
  connection: ['retry', 'openSettings'],
  timeout: ['retry'],
  context_too_long: ['compact', 'newChat', 'retry'],
  // Picking another model keeps the question: Retry then asks it of the new model.
  unknown_model: ['selectModel', 'retry'],
  previous_response_not_found: ['newChat', 'openSettings'],
  chaining_unsupported: ['openSettings'],
  bad_request: ['retry'],
  aborted: ['retry'],
  stream_cut: ['retry'],
  stream_failed: ['retry'],
  incomplete: ['retry'],
  invalid_settings: ['openSettings'],
  invalid_input: [],
  busy: [],
};

export function turnError(kind: ErrorKind, message: string, extra: Partial<TurnError> = {}): TurnError {
  return { kind, message, actions: ACTIONS[kind], ...extra };
}

export function contextTooLong(extra: Partial<TurnError> = {}): TurnError {
  return turnError(
    'context_too_long',
    'The conversation is longer than the model accepts. Compact it and continue, start a new chat, or send a shorter selection.',
    extra,
  );
}

/**
 * In `chaining: "server"` a broken chain is reported, not replayed: the same error, with the message and
 * actions that say why nothing was replayed.
 */
export function serverModeError(e: TurnError): TurnError {
  const why = e.kind === 'chaining_unsupported'
    ? 'This endpoint does not support previous_response_id.'
    : 'The server no longer has the previous response of this chat.';
  return {
    ...e,
    message: `${why} threadline.chaining is "server", so the transcript was not replayed. Start a new chat, or set threadline.chaining to "auto".`,
    actions: ['newChat', 'openSettings'],
  };
}
