/**
 * Breaking changes between two OpenAPI 3.1 documents: what a client written against `released`
 * could trip over when talking to a server that implements `current`.
 *
 * openapi-diff, the usual tool, parses OpenAPI 3.0 only and refuses this 3.1 document, so the rules
 * are written out here. They follow one principle: what the server accepts may only widen, what
 * it answers may only narrow.
 *
 * Operations: one removed; its security requires a key it did not. Parameters (by location and
 * name): one removed; a new required one, or an optional one made required; a narrower schema.
 * Request bodies: one required where there was none or where it was optional; a media type
 * removed; a narrower schema. Responses: a 2xx status added or removed; a media type removed; a
 * wider schema.
 *
 * Schemas, compared after resolving local $refs: types; enum and const values; numeric, length,
 * item and property-count bounds; pattern and format; properties (required ones, closed objects),
 * array items, additionalProperties; anyOf/oneOf variants matched one to one. A request schema
 * "narrows" when some value the old one accepted is refused; a response schema "widens" when the
 * server may send something the old one did not allow. New optional response properties and new
 * optional request properties are not breaking (clients ignore what they do not know), nor is an
 * optional response property dropped (clients of an optional field handle its absence).
 *
 * Not covered: allOf (reported for review when it changes), `not`, `if/then/else`,
 * dependentSchemas, patternProperties, response headers, and changes in meaning that the schemas do
 * not show.
 */

type Schema = boolean | Record<string, unknown>;
type Doc = Record<string, unknown>;
type Direction = 'request' | 'response';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Context {
  released: Doc;
  current: Doc;
  /** $ref pairs being compared further up, so recursive schemas end. */
  inProgress: Set<string>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));

function resolve(doc: Doc, value: unknown): unknown {
  for (let i = 0; i < 50 && isObject(value) && typeof value.$ref === 'string'; i++) {
    const ref = value.$ref;
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
    let target: unknown = doc;
    for (const part of ref.slice(2).split('/')) {
      target = isObject(target) ? target[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
    }
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    value = target;
  }
  return value;
}

/** `/v1/assets/{id}` and `/v1/assets/{assetId}` are the same URL to a client. */
const pathKey = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

/** Every breaking change, one line each ("POST /v1/assets: request body (application/json).title: …"). */
export function breakingChanges(released: Doc, current: Doc): string[] {
  const ctx: Context = { released, current, inProgress: new Set() };
  const out: string[] = [];
  const currentPaths = new Map(
    Object.entries(isObject(current.paths) ? current.paths : {}).map(([p, item]) => [
      pathKey(p),
      { path: p, item },
    ]),
  );
  for (const [path, releasedItem] of Object.entries(isObject(released.paths) ? released.paths : {})) {
    const now = currentPaths.get(pathKey(path));
    for (const method of METHODS) {
      const oldOp = isObject(releasedItem) ? releasedItem[method] : undefined;
      if (!isObject(oldOp)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const newOp = now && isObject(now.item) ? now.item[method] : undefined;
      if (!now || !isObject(newOp)) {
        out.push(`${where}: the operation was removed`);
        continue;
      }
      out.push(
        ...operationBreaks(ctx, where, { path, item: releasedItem, op: oldOp }, { ...now, op: newOp }),
      );
    }
  }
  return out;
}

interface OperationAt {
  path: string;
  item: unknown;
  op: Record<string, unknown>;
}

function operationBreaks(ctx: Context, where: string, old: OperationAt, now: OperationAt): string[] {
  const out: string[] = [];

  // Security: every way a released client could authenticate must still be accepted.
  const security = (doc: Doc, op: Record<string, unknown>) => {
    const alternatives = asArray(op.security ?? doc.security ?? []).map((a) => JSON.stringify(sortedKeys(a)));
    return alternatives.length === 0 ? ['{}'] : alternatives;
  };
  const oldSecurity = security(ctx.released, old.op);
  const newSecurity = security(ctx.current, now.op);
  for (const alternative of oldSecurity) {
    if (!newSecurity.includes(alternative) && !newSecurity.includes('{}')) {
      out.push(`${where}: security ${alternative} is no longer accepted (now ${newSecurity.join(' or ')})`);
    }
  }

  // Parameters, by location and name; path parameters by position, as their names never reach the wire.
  const params = (doc: Doc, at: OperationAt) => {
    const all = new Map<string, Record<string, unknown>>();
    const templateNames = [...at.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = [
      ...asArray(isObject(at.item) ? at.item.parameters : undefined),
      ...asArray(at.op.parameters),
    ];
    for (const raw of declared) {
      const p = resolve(doc, raw);
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
      const key =
        p.in === 'path'
          ? `path #${templateNames.indexOf(p.name) + 1}`
          : `${p.in} parameter ${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
      all.set(key, p);
    }
    return all;
  };
  const oldParams = params(ctx.released, old);
  const newParams = params(ctx.current, now);
  for (const [key, p] of oldParams) {
    const q = newParams.get(key);
    const label = `${where}: ${key}`;
    if (!q) {
      out.push(`${label}: removed`);
      continue;
    }
    if (q.required === true && p.required !== true) out.push(`${label}: now required`);
    out.push(...compareSchema(ctx, label, p.schema ?? true, q.schema ?? true, 'request'));
  }
  for (const [key, q] of newParams) {
    if (!oldParams.has(key) && q.required === true) out.push(`${where}: new required ${key}`);
  }

  // Request body.
  const oldBody = resolve(ctx.released, old.op.requestBody);
  const newBody = resolve(ctx.current, now.op.requestBody);
  if (isObject(newBody) && newBody.required === true && !(isObject(oldBody) && oldBody.required === true)) {
    out.push(`${where}: a request body is now required`);
  }
  if (isObject(oldBody) && !isObject(newBody)) out.push(`${where}: the request body is no longer accepted`);
  if (isObject(oldBody) && isObject(newBody)) {
    out.push(...contentBreaks(ctx, `${where}: request body`, oldBody.content, newBody.content, 'request'));
  }

  // Responses.
  const oldResponses = isObject(old.op.responses) ? old.op.responses : {};
  const newResponses = isObject(now.op.responses) ? now.op.responses : {};
  const success = (status: string) => /^2(\d\d|XX)$/i.test(status);
  for (const status of Object.keys(oldResponses).filter(success)) {
    if (!(status in newResponses)) out.push(`${where}: response ${status} removed`);
  }
  for (const status of Object.keys(newResponses).filter(success)) {
    if (!(status in oldResponses)) out.push(`${where}: new success response ${status}`);
  }
  for (const [status, raw] of Object.entries(oldResponses)) {
    const oldResponse = resolve(ctx.released, raw);
    const newResponse = resolve(ctx.current, newResponses[status]);
    if (!isObject(oldResponse) || !isObject(newResponse)) continue;
    out.push(
      ...contentBreaks(
        ctx,
        `${where}: response ${status}`,
        oldResponse.content,
        newResponse.content,
        'response',
      ),
    );
  }
  return out;
}

function contentBreaks(
  ctx: Context,
  where: string,
  oldContent: unknown,
  newContent: unknown,
  dir: Direction,
) {
  const out: string[] = [];
  const before = isObject(oldContent) ? oldContent : {};
  const after = isObject(newContent) ? newContent : {};
  for (const [mediaType, oldMedia] of Object.entries(before)) {
    const newMedia = after[mediaType];
    if (!isObject(newMedia)) {
      out.push(`${where}: media type ${mediaType} removed`);
      continue;
    }
    const oldSchema = isObject(oldMedia) ? (oldMedia.schema ?? true) : true;
    out.push(...compareSchema(ctx, `${where} (${mediaType})`, oldSchema, newMedia.schema ?? true, dir));
  }
  if (dir === 'response' && Object.keys(before).length > 0) {
    for (const mediaType of Object.keys(after).filter((m) => !(m in before))) {
      out.push(`${where}: may now answer ${mediaType}`);
    }
  }
  return out;
}

const sortedKeys = (v: unknown): unknown =>
  isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v;

function compareSchema(
  ctx: Context,
  where: string,
  oldRaw: unknown,
  newRaw: unknown,
  dir: Direction,
): string[] {
  const ref = (raw: unknown) => (isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : '');
  const pair = `${dir} ${ref(oldRaw)} ${ref(newRaw)}`;
  if (ref(oldRaw) && ref(newRaw)) {
    if (ctx.inProgress.has(pair)) return [];
    ctx.inProgress.add(pair);
  }
  try {
    return schemaBreaks(
      ctx,
      where,
      normalize(resolve(ctx.released, oldRaw)),
      normalize(resolve(ctx.current, newRaw)),
      dir,
    );
  } finally {
    ctx.inProgress.delete(pair);
  }
}

const ANNOTATIONS = new Set([
  'description',
  'title',
  'examples',
  'example',
  'default',
  'deprecated',
  '$comment',
]);

/** `true` and `{}` accept anything; descriptions, defaults and examples do not constrain. */
function normalize(s: unknown): Schema {
  if (s === true || s === false) return s;
  if (!isObject(s)) return true;
  return Object.keys(s).every((k) => ANNOTATIONS.has(k)) ? true : s;
}

function typesOf(s: Record<string, unknown>): string[] | undefined {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

function enumOf(s: Record<string, unknown>): unknown[] | undefined {
  if ('const' in s) return [s.const];
  return Array.isArray(s.enum) ? s.enum : undefined;
}

/** Bounds, with the type of value each constrains. */
const LOWER_BOUNDS = {
  minimum: 'number',
  exclusiveMinimum: 'number',
  minLength: 'string',
  minItems: 'array',
  minProperties: 'object',
};
const UPPER_BOUNDS = {
  maximum: 'number',
  exclusiveMaximum: 'number',
  maxLength: 'string',
  maxItems: 'array',
  maxProperties: 'object',
};

function schemaBreaks(ctx: Context, where: string, oldS: Schema, newS: Schema, dir: Direction): string[] {
  // Every value the `inner` schema allows must be allowed by the `outer` one: in a request the old
  // schema is inner (what clients send), in a response the new one (what the server now answers).
  const [inner, outer] = dir === 'request' ? [oldS, newS] : [newS, oldS];
  if (outer === true || inner === false) return [];
  if (inner === true || outer === false) {
    return [
      `${where}: ${dir === 'request' ? 'now constrained where anything was accepted' : 'no longer constrained'}`,
    ];
  }
  const oldOf = (k: string) => (dir === 'request' ? inner[k] : outer[k]);
  const newOf = (k: string) => (dir === 'request' ? outer[k] : inner[k]);
  const compare = (at: string, innerSub: unknown, outerSub: unknown) =>
    dir === 'request'
      ? compareSchema(ctx, at, innerSub, outerSub, dir)
      : compareSchema(ctx, at, outerSub, innerSub, dir);

  // anyOf/oneOf (a nullable type is anyOf [T, null]): each inner variant must fit an outer one.
  const variantsOf = (s: Record<string, unknown>) =>
    asArray(s.anyOf).length > 0 ? asArray(s.anyOf) : asArray(s.oneOf).length > 0 ? asArray(s.oneOf) : null;
  const innerVariants = variantsOf(inner);
  const outerVariants = variantsOf(outer);
  if (innerVariants || outerVariants) {
    const out: string[] = [];
    for (const variant of innerVariants ?? [inner]) {
      const attempts = (outerVariants ?? [outer]).map((o) => compare(where, variant, o));
      if (attempts.every((a) => a.length > 0)) {
        const closest = attempts.reduce((a, b) => (b.length < a.length ? b : a));
        out.push(...closest);
      }
    }
    return out;
  }
  if (JSON.stringify(inner.allOf) !== JSON.stringify(outer.allOf)) {
    return [`${where}: allOf changed, which this check does not compare: review it by hand`];
  }

  const out: string[] = [];
  const say = (what: string) => out.push(`${where}: ${what}`);

  const innerTypes = typesOf(inner);
  const outerTypes = typesOf(outer);
  if (outerTypes) {
    const outside = (innerTypes ?? ['any type']).filter(
      (t) => !outerTypes.includes(t) && !(t === 'integer' && outerTypes.includes('number')),
    );
    if (outside.length > 0) {
      say(
        `type ${show(oldOf('type'))} → ${show(newOf('type'))} (${dir === 'request' ? 'no longer accepts' : 'may now answer'} ${outside.join(', ')})`,
      );
    }
  }

  const innerEnum = enumOf(inner);
  const outerEnum = enumOf(outer);
  if (outerEnum) {
    const verb = dir === 'request' ? 'no longer accepts' : 'may now answer';
    if (!innerEnum) say(`${verb} values other than ${outerEnum.map(show).join(', ')}`);
    else {
      const outside = innerEnum.filter((v) => !outerEnum.some((o) => show(o) === show(v)));
      if (outside.length > 0) say(`${verb} ${outside.map(show).join(', ')}`);
    }
  }

  // A keyword only constrains values of its type: a string has no maxItems to compare.
  const applies = (type: string) =>
    !innerTypes || innerTypes.includes(type) || (type === 'number' && innerTypes.includes('integer'));
  for (const [k, type] of Object.entries(LOWER_BOUNDS)) {
    const i = inner[k];
    const o = outer[k];
    if (applies(type) && typeof o === 'number' && !(typeof i === 'number' && i >= o)) {
      say(`${k} ${show(oldOf(k))} → ${show(newOf(k))}`);
    }
  }
  for (const [k, type] of Object.entries(UPPER_BOUNDS)) {
    const i = inner[k];
    const o = outer[k];
    if (applies(type) && typeof o === 'number' && !(typeof i === 'number' && i <= o)) {
      say(`${k} ${show(oldOf(k))} → ${show(newOf(k))}`);
    }
  }
  for (const k of ['pattern', 'format']) {
    if (applies('string') && outer[k] !== undefined && outer[k] !== inner[k]) {
      say(`${k} ${show(oldOf(k))} → ${show(newOf(k))}`);
    }
  }

  // Objects: required properties, closed objects, and each property both sides know.
  if (applies('object')) {
    const innerProps = isObject(inner.properties) ? inner.properties : {};
    const outerProps = isObject(outer.properties) ? outer.properties : {};
    const innerRequired = asArray(inner.required);
    for (const name of asArray(outer.required).filter((n) => !innerRequired.includes(n))) {
      say(`property ${String(name)} ${dir === 'request' ? 'is now required' : 'may be missing'}`);
    }
    // A closed request object refuses what it does not list. (A response may gain properties:
    // clients ignore what they do not know, so responses are not held to additionalProperties.)
    const closed = (s: Record<string, unknown>) =>
      s.additionalProperties === false || s.unevaluatedProperties === false;
    if (dir === 'request' && closed(outer)) {
      for (const name of Object.keys(innerProps).filter((n) => !(n in outerProps))) {
        say(`property ${name} is no longer accepted`);
      }
      if (!closed(inner)) say('no longer accepts other properties');
    }
    for (const [name, innerProp] of Object.entries(innerProps)) {
      if (name in outerProps) out.push(...compare(`${where}.${name}`, innerProp, outerProps[name]));
    }
    if (isObject(inner.additionalProperties) && isObject(outer.additionalProperties)) {
      out.push(...compare(`${where}[*]`, inner.additionalProperties, outer.additionalProperties));
    }
  }

  // Arrays: their items.
  if (applies('array') && (inner.items !== undefined || outer.items !== undefined)) {
    out.push(...compare(`${where}[]`, inner.items ?? true, outer.items ?? true));
  }
  return out;
}
