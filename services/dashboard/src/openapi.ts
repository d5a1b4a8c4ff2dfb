/**
 * The API's OpenAPI description, kept by hand beside the routes (served at
 * /docs/openapi.json and as a plain page at /docs; Swagger UI would pull
 * scripts from outside hosts, which the dashboard never does).
 */
const err = { description: 'Refused, with the reason', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const refusals = { '400': err, '401': err, '403': err, '413': err };

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Perpetua dashboard API',
    version: '1',
    description:
      'Read-only views of the running system, the configuration file (secrets masked) and the controls. With dashboard.token set every /api route and /ws need `Authorization: Bearer <token>` or the session cookie set by POST /api/login. State-changing requests from another site are refused. Bodies are JSON, at most 16 KiB, and unknown fields are refused.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'perpetua_session' } },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } } },
      Reason: { type: 'object', additionalProperties: false, required: ['reason', 'confirm'], properties: { reason: { type: 'string', minLength: 1, maxLength: 200 }, confirm: { const: true } } },
      HaltReply: { type: 'object', properties: { halted: { type: 'boolean' }, reason: { type: 'string' }, since: { type: 'number' } } },
      StrategyControlReply: { type: 'object', properties: { strategy: { type: 'string' }, paused: { type: 'boolean' }, params: { type: 'object' } } },
    },
  },
  security: [{ bearer: [] }, { cookie: [] }],
  paths: {
    '/api/session': { get: { summary: 'Whether this client may use the API', responses: { '200': json('Authorized'), '401': err } } },
    '/api/login': {
      post: {
        summary: 'Exchange the token for an HttpOnly, SameSite=Strict session cookie (5 failures a minute per address, then 429)',
        security: [],
        requestBody: body({ type: 'object', additionalProperties: false, required: ['token'], properties: { token: { type: 'string' } } }),
        responses: { '204': { description: 'Logged in; Set-Cookie' }, ...refusals, '429': err },
      },
    },
    '/api/logout': { post: { summary: 'Clears the session cookie', responses: { '204': { description: 'Logged out' } } } },
    '/api/snapshot': { get: { summary: 'Every live topic at once (what /ws then pushes as it changes)', responses: { '200': json('Topics by name'), '401': err } } },
    '/api/config': { get: { summary: 'Venues and strategies in the configuration file, secrets masked, and the fields of each kind', responses: { '200': json('The file'), '401': err } } },
    '/api/config/venues/{name}': {
      put: {
        summary: "Add or replace a venue (checked with the venue's schema; a secret left out or sent back masked keeps its stored value, null removes it)",
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' } }],
        requestBody: body({ type: 'object' }),
        responses: { '200': json('The file after the change'), ...refusals, '422': err },
      },
      delete: { summary: 'Remove a venue', parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': json('The file after the change'), ...refusals, '404': err } },
    },
    '/api/config/strategies/{id}': {
      put: { summary: 'Add or replace a strategy', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: body({ type: 'object' }), responses: { '200': json('The file after the change'), ...refusals, '422': err } },
      delete: { summary: 'Remove a strategy', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': json('The file after the change'), ...refusals, '404': err } },
    },
    '/api/control/status': { get: { summary: 'The kill switch state (control.risk.status)', responses: { '200': json('Halt state', { $ref: '#/components/schemas/HaltReply' }), '504': err } } },
    '/api/control/kill': { post: { summary: 'Pull the kill switch (control.risk.kill)', requestBody: body({ $ref: '#/components/schemas/Reason' }), responses: { '200': json('Halt state', { $ref: '#/components/schemas/HaltReply' }), ...refusals, '504': err } } },
    '/api/control/reset': { post: { summary: 'Reset the kill switch (control.risk.reset)', requestBody: body({ $ref: '#/components/schemas/Reason' }), responses: { '200': json('Halt state', { $ref: '#/components/schemas/HaltReply' }), ...refusals, '504': err } } },
    '/api/control/strategies/{id}/pause': { post: { summary: 'Pause a strategy (control.quoter.pause): its quotes are withdrawn', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: body({ type: 'object', additionalProperties: false }), responses: { '200': json('Strategy state', { $ref: '#/components/schemas/StrategyControlReply' }), ...refusals, '504': err } } },
    '/api/control/strategies/{id}/resume': { post: { summary: 'Resume a strategy (control.quoter.resume)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: body({ type: 'object', additionalProperties: false }), responses: { '200': json('Strategy state', { $ref: '#/components/schemas/StrategyControlReply' }), ...refusals, '504': err } } },
    '/api/control/strategies/{id}/params': {
      post: {
        summary: "New params, applied from the strategy's next quote cycle and persisted (control.quoter.params); refused with the reason when invalid",
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: body({ type: 'object', additionalProperties: false, required: ['params'], properties: { params: { type: 'object' } } }),
        responses: { '200': json('Strategy state', { $ref: '#/components/schemas/StrategyControlReply' }), ...refusals, '409': err, '504': err },
      },
    },
    '/ws': { get: { summary: 'WebSocket: {"type":"topic","topic":NAME,"data":...} frames, each topic at most once per push interval, latest value only', responses: { '101': { description: 'Switching protocols' }, '401': err, '403': err } } },
    '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'Text exposition' } } } },
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'ok' } } } },
    '/readyz': { get: { summary: 'Readiness', security: [], responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } } } },
  },
} as const;

export const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Perpetua dashboard API</title>
<style>body{background:#0d1117;color:#d6dde6;font:14px/1.5 system-ui,sans-serif;margin:2rem}pre{white-space:pre-wrap;background:#161b22;padding:1rem;border-radius:6px}a{color:#58a6ff}</style></head>
<body><h1>Perpetua dashboard API</h1><p>OpenAPI 3.1: <a href="/docs/openapi.json">/docs/openapi.json</a></p><pre id="spec"></pre>
<script src="/docs/docs.js"></script></body></html>`;

export const DOCS_SCRIPT = `fetch('/docs/openapi.json').then(function(r){return r.json()}).then(function(s){document.getElementById('spec').textContent=JSON.stringify(s,null,2)})`;
