// The highlighting chunk, dist/webview/highlight.js: highlight.js core and a dozen common grammars, loaded
// by the webview on the first code block that needs it (src/webview/render/highlight.ts), so a conversation
// shows without parsing them.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { ENGINE_GLOBAL, type EngineHolder, type HighlightEngine } from './render/highlightEngine';

const languages = { bash, cpp, csharp, diff, go, java, json, python, rust, shell, typescript, xml, yaml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);
// Shared grammars keep the chunk small: JavaScript uses the TypeScript grammar (a superset), C uses C++.
hljs.registerAliases(['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node'], { languageName: 'typescript' });
hljs.registerAliases(['c', 'h'], { languageName: 'cpp' });
hljs.registerAliases(['sh', 'zsh', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['golang'], { languageName: 'go' });

const engine: HighlightEngine = {
  knows: (name) => hljs.getLanguage(name) !== undefined,
  highlight: (text, name) => hljs.highlight(text, { language: name, ignoreIllegals: true }).value,
};
(globalThis as EngineHolder)[ENGINE_GLOBAL] = engine;
