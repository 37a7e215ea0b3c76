// Limits on what the webview may send, so a bad message cannot make the host do heavy work. A module of
// its own so the webview can read them without bundling the protocol's schemas.
export const LIMITS = {
  maxMessageChars: 1_000_000,
  maxAttachments: 20,
  maxIdChars: 200,
  maxUriChars: 4_000,
  /** A conversation title, as typed in a rename box. */
  maxTitleChars: 200,
  /** How many conversations a `history` message lists; the Quick Pick shows them all. */
  historyItems: 200,
} as const;
