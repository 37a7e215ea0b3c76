// Validators for the official OpenAI OpenAPI document (vendored in test/fixtures), so that the fake server's
// replies, its stream events and the product's requests can be checked against the real wire schema.
//
// The document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12, so Ajv 2020 reads them as they are.
// Known gaps in the spec (responses-api.md sections 2 and 7): the examples omit `sequence_number`, and `store`
// is echoed on responses but missing from `Response`; neither matters, as no schema here forbids additional
// properties. Two gaps would reject real traffic, so `patchSpecGaps` widens exactly those.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

const FIXTURE = path.join('test', 'fixtures', 'openai-openapi.json');
const DOC_ID = 'https://threadline.test/openai-openapi.json';

export interface Validators {
  /** The validator for `#/components/schemas/<name>`, compiled on first use. */
  get(name: string): ValidateFunction;
  /** Readable errors of `value` against `#/components/schemas/<name>`; empty when it is valid. */
  errors(name: string, value: unknown): string[];
  /** Errors of one SSE `data:` payload, against the event schema chosen by its `type`. */
  eventErrors(event: unknown): string[];
  /** The schema of a stream event type, e.g. `response.output_text.delta` -> `ResponseTextDeltaEvent`. */
  eventSchemaName(type: string): string | undefined;
}

let cached: Validators | undefined;

/** Loads the vendored OpenAPI document once and returns validators over its component schemas. */
export function openApiValidators(): Validators {
  cached ??= createValidators(JSON.parse(fs.readFileSync(findFixture(), 'utf8')));
  return cached;
}

/** Asserts that `value` is valid against `#/components/schemas/<name>`. */
export function assertSchema(name: string, value: unknown, label = name): void {
  const errors = openApiValidators().errors(name, value);
  assert.deepEqual(errors, [], `${label} does not match schema ${name}:\n${errors.join('\n')}`);
}

/** Asserts that a stream event is valid against the schema of its `type`. */
export function assertEventSchema(event: unknown): void {
  const errors = openApiValidators().eventErrors(event);
  const type = (event as { type?: unknown } | null)?.type;
  assert.deepEqual(errors, [], `stream event ${String(type)} does not match its schema:\n${errors.join('\n')}`);
}

/** The bundled tests live in dist/ or a temp dir, so search upwards from here and then from the cwd. */
function findFixture(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, FIXTURE);
      if (fs.existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`cannot find ${FIXTURE} above ${__dirname} or ${process.cwd()}`);
}

function createValidators(doc: { components: { schemas: Record<string, any> } }): Validators {
  const schemas = patchSpecGaps(doc.components.schemas);
  // Unknown keywords (`x-oaiMeta`, `discriminator`, `example`) are ignored, and formats such as
  // `unixtime` are annotations only.
  // Shared subschemas (tools, items) are referenced hundreds of times: `inlineRefs: false` compiles each once,
  // about 3x faster.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, logger: false, inlineRefs: false });
  // Register only the components under their original pointer, so that every `#/components/schemas/X` resolves.
  ajv.addSchema({ $id: DOC_ID, components: { schemas } });

  const compiled = new Map<string, ValidateFunction>();
  const get = (name: string): ValidateFunction => {
    if (!schemas[name]) throw new Error(`no schema named ${name} in the OpenAPI document`);
    let fn = compiled.get(name);
    if (!fn) {
      fn = ajv.compile({ $ref: `${DOC_ID}#/components/schemas/${name}` });
      compiled.set(name, fn);
    }
    return fn;
  };
  const errors = (name: string, value: unknown): string[] => {
    const fn = get(name);
    return fn(value) ? [] : describe(fn.errors ?? []);
  };

  const eventSchemas = mapEventTypes(schemas);
  const eventSchemaName = (type: string) => eventSchemas.get(type);
  const eventErrors = (event: unknown): string[] => {
    const type = (event as { type?: unknown } | null)?.type;
    return errors((typeof type === 'string' && eventSchemas.get(type)) || 'ResponseStreamEvent', event);
  };
  return { get, errors, eventErrors, eventSchemaName };
}

/**
 * - `usage: null` on the in-progress snapshots of `response.created` / `response.in_progress`: the spec's own
 *   streaming example sends it, but `Response.usage` is not nullable.
 * - `context_length_exceeded` as `response.error.code` in `response.failed`: sent by OpenAI (openai/codex
 *   fixtures), missing from the `ResponseErrorCode` enum.
 */
function patchSpecGaps(schemas: Record<string, any>): Record<string, any> {
  const own = (schemas.Response.allOf as Array<{ properties?: Record<string, unknown> }>).find((s) => s.properties?.usage)!;
  own.properties!.usage = { anyOf: [own.properties!.usage, { type: 'null' }] };
  schemas.ResponseErrorCode.enum.push('context_length_exceeded');
  return schemas;
}

/** `ResponseStreamEvent` is an anyOf of $refs; each member pins its `type` with a one-value enum. */
function mapEventTypes(schemas: Record<string, any>): Map<string, string> {
  const byType = new Map<string, string>();
  for (const member of schemas.ResponseStreamEvent.anyOf as Array<{ $ref: string }>) {
    const name = member.$ref.split('/').pop()!;
    for (const type of (schemas[name]?.properties?.type?.enum ?? []) as string[]) byType.set(type, name);
  }
  return byType;
}

function describe(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
