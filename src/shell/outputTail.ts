// How much of a running command's output the terminal history keeps. A module without `vscode`, so a
// unit test can hold the bound to the terminal attachment's limit (MAX_TERMINAL_BYTES), which lives in
// the host bundle and must not be copied into this one.

/** Twice the attachment's limit: escape codes are dropped later, and the builder cuts at a line boundary. */
export const KEPT_OUTPUT_CHARS = 2 * 64 * 1024;

/** `output` followed by `data`, cut to its last KEPT_OUTPUT_CHARS characters. */
export function appendTail(output: string, data: string): string {
  return (output + data).slice(-KEPT_OUTPUT_CHARS);
}
