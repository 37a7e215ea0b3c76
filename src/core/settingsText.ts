// Reading a settings.json or .code-workspace file (JSON with comments) as text, where VS Code's
// configuration API cannot help.
import { visit } from 'jsonc-parser';

/**
 * Whether the text sets `threadline.baseURL` as a property, at any depth (a .code-workspace file nests it
 * under `settings`); the name in a comment or inside a string value does not count. Text that does not
 * parse is still scanned as far as the parser can read it, so a hostile file cannot hide the key behind
 * a syntax error.
 */
export function settingsTextSetsBaseURL(text: string): boolean {
  let found = false;
  visit(text, {
    onObjectProperty: (property) => {
      if (property === 'threadline.baseURL') found = true;
    },
  }, { allowTrailingComma: true, disallowComments: false });
  return found;
}
