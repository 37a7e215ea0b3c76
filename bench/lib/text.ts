// Deterministic, realistic text: questions (~200 chars), answers (~800 chars) and a long markdown answer
// with code blocks, all exactly as long as asked.

/** mulberry32: a small seeded PRNG, so every run sends the same bytes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the parser function returns a token stream when the input buffer is empty and every call ' +
  'should keep its state between chunks so that the lexer never sees half a line why does this ' +
  'loop allocate on each iteration could we cache the result map instead of rebuilding it what ' +
  'happens to the error path if the callback throws before the promise settles and how do tests ' +
  'cover the retry branch with a fake clock module import export interface type generic async await'
).split(' ');

function words(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]!);
  return out.join(' ');
}

/** Pads with words (or cuts) to exactly `len` characters. */
function fit(s: string, len: number, r: () => number): string {
  while (s.length < len) s += ' ' + words(r, 8);
  return s.slice(0, len);
}

/** A question of exactly `len` characters (default 200). */
export function question(i: number, len = 200): string {
  const r = rng(1000 + i);
  return fit(`Turn ${i}: in src/parser.ts, ${words(r, 12)}?`, len - 1, r).trimEnd().padEnd(len - 1, '.') + '?';
}

/** A markdown answer of exactly `len` characters (default 800): prose, a list and a code block. */
export function answer(i: number, len = 800): string {
  const r = rng(5000 + i);
  const code = '```ts\nexport function step(state: State, chunk: string): State {\n  const next = { ...state, buffer: state.buffer + chunk };\n  return next;\n}\n```\n';
  const head = `Here is what happens in turn ${i}. ${words(r, 20)}.\n\n- ${words(r, 6)}\n- ${words(r, 6)}\n\n${code}\n`;
  return fit(head + words(r, 40), len, r);
}

/**
 * A long answer (about `len` characters, 16,000 by default = about 4,000 tokens) the way models write
 * them: headings, paragraphs, lists, inline code, a table, and fenced code blocks in several languages.
 */
export function longMarkdown(len = 16_000): string {
  const r = rng(42);
  const blocks: string[] = [];
  let n = 0;
  const push = (b: string): void => {
    blocks.push(b);
    n += b.length + 2;
  };
  let k = 0;
  while (n < len) {
    k++;
    push(`## Step ${k}: ${words(r, 4)}`);
    push(`${words(r, 30)} \`state.buffer\` ${words(r, 25)}. **Note:** ${words(r, 12)}.`);
    push(`1. ${words(r, 8)}\n2. ${words(r, 10)} \`parse()\`\n3. ${words(r, 7)}`);
    const lang = ['ts', 'python', 'go', 'rust'][k % 4]!;
    const body = lang === 'ts'
      ? `export function parse${k}(input: string): Token[] {\n  const out: Token[] = [];\n  for (const ch of input) {\n    if (ch === '\\n') out.push({ kind: 'newline', at: out.length });\n    else out.push({ kind: 'char', value: ch });\n  }\n  return out; // ${words(r, 4)}\n}`
      : lang === 'python'
        ? `def parse_${k}(text: str) -> list[str]:\n    out = []\n    for line in text.splitlines():\n        if not line.strip():\n            continue\n        out.append(line.rstrip())  # ${words(r, 3)}\n    return out`
        : lang === 'go'
          ? `func Parse${k}(in string) ([]Token, error) {\n\tvar out []Token\n\tfor i, ch := range in {\n\t\tout = append(out, Token{At: i, Ch: ch})\n\t}\n\treturn out, nil\n}`
          : `pub fn parse_${k}(input: &str) -> Vec<Token> {\n    input.chars().enumerate().map(|(i, c)| Token { at: i, ch: c }).collect()\n}`;
    push('```' + lang + '\n' + body + '\n```');
    if (k % 3 === 0) push(`| option | default | meaning |\n|---|---:|---|\n| \`retries\` | 2 | ${words(r, 5)} |\n| \`timeout\` | 600 | ${words(r, 5)} |`);
    push(`> ${words(r, 18)}`);
  }
  return blocks.join('\n\n').slice(0, len);
}

/** Splits like the fake server: `size` code points per delta. */
export function chunk(text: string, size = 4): string[] {
  const cps = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out;
}
