// Every answer the integration tests got (recorded by tests/support/http_client.cpp in
// CRENEAU_ANSWERS) checked against the API document, as a partner's client would rely on it:
// the status is one the operation declares, the media type one it declares for that status,
// and a JSON body matches its schema with no field the schema lacks and none it requires
// missing. Problem answers also match RFC 9457's problem object, and their `code` is one the
// document lists for that operation and status. Requests the server accepted match the
// operation's request schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const web = process.env.CRENEAU_WEB_DIR;
const fromWeb = createRequire(join(web, 'package.json'));
const Ajv2019 = fromWeb('ajv/dist/2019').default;
const addFormats = fromWeb('ajv-formats').default;

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = JSON.parse(readFileSync(join(root, 'server/api/openapi.json'), 'utf8'));

// RFC 9457, section 3 and appendix A: the members of a problem object and their types.
const rfc9457 = {
  type: 'object',
  properties: {
    type: { type: 'string', format: 'uri-reference' },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    title: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string', format: 'uri-reference' },
  },
};

// An OpenAPI 3.0 schema as a JSON Schema 2019-09 one: `nullable` becomes a union with null,
// `example` goes, references point into the document's schemas, and every object that lists
// its properties is closed (unevaluatedProperties, so that allOf compositions still work).
function convert(schema, { close, inAllOf = false } = {}) {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, { close }));
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'example' || k === 'nullable') continue;
    if (k === '$ref') out.$ref = v.replace('#/components/schemas/', 'doc#/$defs/');
    else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, convert(s, { close })]));
    else if (k === 'allOf') out.allOf = v.map((s) => convert(s, { close, inAllOf: true }));
    else if (['items', 'additionalProperties', 'not'].includes(k)) out[k] = convert(v, { close });
    else if (['anyOf', 'oneOf'].includes(k)) out[k] = v.map((s) => convert(s, { close }));
    else out[k] = v;
  }
  const describesObject = out.properties || out.allOf;
  if (close && describesObject && !inAllOf && !('additionalProperties' in out)) out.unevaluatedProperties = false;
  if (schema.nullable) return { anyOf: [{ type: 'null' }, out] };
  return out;
}

function ajvFor(close) {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  const defs = Object.fromEntries(Object.entries(doc.components.schemas).map(([n, s]) => [n, convert(s, { close })]));
  ajv.addSchema({ $id: 'doc', $defs: defs });
  return ajv;
}
const answers = ajvFor(true);
const requests = ajvFor(true);
const problem = answers.compile(rfc9457);

const deref = (r) => (r && r.$ref ? deref(r.$ref.split('/').slice(1).reduce((o, k) => o[k], doc)) : r);

// The operations, most literal template first, each with a matcher of request paths.
const operations = [];
for (const [template, item] of Object.entries(doc.paths)) {
  const source = template.split('/').map((seg) => (seg.startsWith('{') ? '[^/]+' : seg.replace(/[.]/g, '\\.'))).join('/');
  const re = new RegExp(`^${source}$`);
  const holes = (template.match(/\{/g) || []).length;
  for (const method of Object.keys(item)) {
    if (method === 'parameters') continue;
    operations.push({ template, method: method.toUpperCase(), re, holes, op: item[method] });
  }
}
operations.sort((a, b) => a.holes - b.holes);

const compiled = new Map();
function validator(ajv, key, schema) {
  const k = `${ajv === answers ? 'a' : 'r'} ${key}`;
  if (!compiled.has(k)) compiled.set(k, ajv.compile(convert(schema, { close: true })));
  return compiled.get(k);
}

function readRecords() {
  const folder = process.env.CRENEAU_ANSWERS;
  const records = [];
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.jsonl')) continue;
    for (const line of readFileSync(join(folder, name), 'utf8').split('\n')) if (line) records.push(JSON.parse(line));
  }
  return records;
}

test('every answer of the integration tests matches the API document', () => {
  const records = readRecords();
  const failures = new Map();
  const fail = (what, record) => {
    const entry = failures.get(what) || { count: 0, example: record };
    entry.count += 1;
    failures.set(what, entry);
  };
  const exercised = new Set();
  let checked = 0;
  let bodies = 0;
  for (const r of records) {
    const path = r.target.split('?')[0];
    const method = r.method === 'HEAD' ? 'GET' : r.method;
    const candidates = operations.filter((o) => o.re.test(path));
    if (candidates.length === 0) continue; // not a documented path (a static file, a probe)
    const found = candidates.find((o) => o.method === method);
    if (!found) {
      if (r.status !== 405) fail(`${r.method} ${candidates[0].template}: answered ${r.status} where 405 was due`, r);
      continue;
    }
    const name = `${found.method} ${found.template} (${found.op.operationId})`;
    exercised.add(found.op.operationId);
    checked += 1;
    const response = deref(found.op.responses[String(r.status)]);
    if (!response) {
      fail(`${name}: status ${r.status} is not declared`, r);
      continue;
    }
    const type = (r.type || '').split(';')[0].trim();
    const content = response.content || {};
    if (r.length > 0 && r.method !== 'HEAD' && !(type in content))
      fail(`${name} ${r.status}: media type ${type || '(none)'} is not declared (${Object.keys(content).join(', ') || 'no body'})`, r);
    if (r.body !== null && content[type] && content[type].schema) {
      bodies += 1;
      const check = validator(answers, `${name} ${r.status} ${type}`, content[type].schema);
      if (!check(r.body))
        for (const e of check.errors) fail(`${name} ${r.status}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`, r);
      if (type === 'application/problem+json' && !problem(r.body))
        fail(`${name} ${r.status}: not an RFC 9457 problem: ${JSON.stringify(problem.errors)}`, r);
    }
    const body = found.op.requestBody && deref(found.op.requestBody);
    if (r.status < 300 && r.request !== null && body && body.content['application/json']) {
      const check = validator(requests, `${name} request`, body.content['application/json'].schema);
      if (!check(r.request))
        for (const e of check.errors) fail(`${name} request accepted with ${r.status}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`, r);
    }
  }
  const all = operations.map((o) => o.op.operationId);
  const missed = all.filter((id) => !exercised.has(id));
  console.log(`${records.length} exchanges recorded, ${checked} on documented operations, ${bodies} bodies checked; ` +
    `${exercised.size} of ${all.length} operations exercised${missed.length ? ` (not: ${missed.join(', ')})` : ''}`);
  for (const [what, { count, example }] of failures)
    console.log(`${what} ×${count}\n    e.g. ${example.method} ${example.target} → ${JSON.stringify(example.body)?.slice(0, 400)}`);
  // The integration tests make thousands of calls; far fewer means the recording broke.
  assert.ok(checked > 1000, `only ${checked} answers recorded`);
  assert.equal(failures.size, 0, `${failures.size} kinds of answers do not match the document`);
});

test('every example in the document matches its schema, and every body has one', () => {
  const problems = [];
  for (const { template, method, op } of operations) {
    const name = `${method} ${template}`;
    const body = op.requestBody && deref(op.requestBody);
    if (body) {
      const media = body.content['application/json'];
      if (!('example' in media)) problems.push(`${name}: no request example`);
      else if (!validator(requests, `${name} request`, media.schema)(media.example)) problems.push(`${name}: request example does not match its schema`);
    }
    for (const [status, ref] of Object.entries(op.responses)) {
      for (const [type, media] of Object.entries(deref(ref).content || {})) {
        if (!type.endsWith('json') || !media.schema) continue;
        const check = validator(answers, `${name} ${status} ${type}`, media.schema);
        if (!('example' in media)) {
          if (status.startsWith('2') && template !== '/api/openapi.json') problems.push(`${name} ${status}: no example`);
        } else if (!check(media.example)) {
          problems.push(`${name} ${status}: example does not match its schema: ${JSON.stringify(check.errors)}`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});
