// Reading a settings.json (JSON with comments) as text, where VS Code's configuration API cannot help.

/** Whether the text sets `threadline.baseURL`; a commented-out line does not count. */
export function settingsTextSetsBaseURL(text: string): boolean {
  const code = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? '');
  return /"threadline\.baseURL"\s*:/.test(code);
}
