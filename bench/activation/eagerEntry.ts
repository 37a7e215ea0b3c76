// The "eager SDK" variant for the activation benchmark: the extension with the openai SDK bundled in and
// evaluated when the bundle loads, as an extension that imports the SDK at the top of a module would.
import * as sdk from 'openai';

(globalThis as Record<string, unknown>).__threadlineBenchSdk = sdk;

export { activate, deactivate } from '../../src/extension';
