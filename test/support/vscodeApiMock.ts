// The page's stand-in for VS Code, shared by the webview tests and the benchmarks. `installVsCodeMock`
// runs in the page before any of its scripts (pass it to page.addInitScript; it is serialized, so it
// uses nothing from outside itself): a mocked acquireVsCodeApi (posted messages recorded in
// `window.__posted`, state kept in sessionStorage so it survives a reload, and `window.__tlPosted`
// called with each message if a later init script defines it), the theme's variables, and a listener
// that reports CSP violations.

export interface MockTheme {
  bodyClass: string;
  background: string;
  vars: Record<string, string>;
}

export interface MockInit {
  /** What getState returns on the first load. */
  state: unknown;
  theme: MockTheme;
}

export const STATE_KEY = '__threadline_state';

export function installVsCodeMock(init: MockInit): void {
  const w = window as unknown as Record<string, unknown>;
  const KEY = '__threadline_state';
  const posted: unknown[] = [];
  const csp: unknown[] = [];
  w.__posted = posted;
  w.__csp = csp;
  w.__acquired = 0;
  document.addEventListener('securitypolicyviolation', (e) => {
    const v = { directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample };
    csp.push(v);
    (w.__tlViolation as ((v: unknown) => void) | undefined)?.(v);
  });
  if (init.state !== undefined && sessionStorage.getItem(KEY) === null) sessionStorage.setItem(KEY, JSON.stringify(init.state));
  w.acquireVsCodeApi = () => {
    w.__acquired = (w.__acquired as number) + 1;
    if ((w.__acquired as number) > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage: (m: unknown) => {
        posted.push(JSON.parse(JSON.stringify(m)));
        (w.__tlPosted as ((m: unknown) => void) | undefined)?.(m);
      },
      getState: () => {
        const s = sessionStorage.getItem(KEY);
        return s === null ? undefined : JSON.parse(s);
      },
      setState: (s: unknown) => {
        sessionStorage.setItem(KEY, JSON.stringify(s));
        return s;
      },
    });
  };
  const applyTheme = (): void => {
    const root = document.documentElement;
    for (const [k, v] of Object.entries(init.theme.vars)) root.style.setProperty(`--vscode-${k}`, v);
    root.style.background = init.theme.background;
    document.body.classList.add(init.theme.bodyClass);
    document.body.dataset.vscodeThemeKind = init.theme.bodyClass;
  };
  if (document.body) applyTheme();
  else document.addEventListener('DOMContentLoaded', applyTheme, { once: true });
}
