// Every refusal reaches a Node application as the client's own error class, with the fields and retries it knows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { baseURL, client, platformKey, received, refusal, unique } from './setup.mjs';

function ask(question, more = {}) {
  return { model: 'default', messages: [{ role: 'user', content: question }], ...more };
}

test('a wrong key is an AuthenticationError with code invalid_api_key', async () => {
  const openai = new OpenAI({ apiKey: 'sbk_nonsense-key-that-does-not-exist-0000', baseURL, maxRetries: 0 });

  const listing = await refusal(() => openai.models.list(), AuthenticationError);
  const asking = await refusal(() => openai.chat.completions.create(ask('hi')), AuthenticationError);

  for (const error of [listing, asking]) {
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_api_key');
    assert.equal(error.type, 'invalid_request_error');
  }
});

test('the platform key, which belongs to no tenant, is a PermissionDeniedError', async () => {
  const openai = new OpenAI({ apiKey: platformKey, baseURL, maxRetries: 0 });

  const error = await refusal(() => openai.chat.completions.create(ask('hi')), PermissionDeniedError);

  assert.equal(error.status, 403);
  assert.equal(error.code, 'tenant_key_required');
});

test('an invalid request is a BadRequestError whose param names the field', async () => {
  const openai = client('echo');

  const tooFew = await refusal(
    () => openai.chat.completions.create(ask('hi', { max_completion_tokens: 0 })),
    BadRequestError,
  );
  const unanswered = await refusal(
    () =>
      openai.chat.completions.create({
        model: 'default',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'tool', content: 'shipped' },
        ],
      }),
    BadRequestError,
  );

  assert.equal(tooFew.code, 'invalid_value');
  assert.equal(tooFew.type, 'invalid_request_error');
  assert.equal(tooFew.param, 'max_completion_tokens');
  assert.equal(unanswered.param, 'messages[1].tool_call_id');
});

test('tools for a model that does not call them are a BadRequestError with param tools', async () => {
  const error = await refusal(
    () =>
      client('retrieval').chat.completions.create(
        ask('Where is my order?', {
          tools: [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } }],
        }),
      ),
    BadRequestError,
  );

  assert.equal(error.code, 'model_not_supported');
  assert.equal(error.param, 'tools');
  assert.match(error.message, /builtin\/retrieval/);
});

test('a model the tenant may not use, and a path /v1 does not have, are NotFoundErrors', async () => {
  const openai = client('echo');

  const model = await refusal(
    () => openai.chat.completions.create({ ...ask('hi'), model: 'stub/no-such-model' }),
    NotFoundError,
  );
  const path = await refusal(() => openai.get('/no-such-route'), NotFoundError);

  assert.equal(model.code, 'model_not_found');
  assert.equal(path.code, 'unknown_url');
});

test('a rate-limited model is a RateLimitError with retry-after, and the client waits that long and retries', async () => {
  const refused = unique('Opening hours for');
  const retried = unique('Closing hours for');

  const error = await refusal(() => client('limited-once').chat.completions.create(ask(refused)), RateLimitError);
  const started = performance.now();
  const answer = await client('limited-once', { maxRetries: 2 }).chat.completions.create(ask(retried));
  const waited = performance.now() - started;

  assert.equal(error.status, 429);
  assert.equal(error.code, 'rate_limit_exceeded');
  assert.equal(error.headers.get('retry-after'), '1');
  assert.equal(answer.choices[0].message.content, `You said: ${retried}`);
  assert.equal((await received(retried)).length, 2);
  // Without retry-after the client's first backoff is at most half a second.
  assert.ok(waited >= 950, `retried after ${Math.round(waited)} ms`);
});

test('a model that stays rate limited is a RateLimitError once the client has spent its retries', async () => {
  const question = unique('Is the shop open on Sunday for');

  const error = await refusal(
    () => client('error-429', { maxRetries: 1 }).chat.completions.create(ask(question)),
    RateLimitError,
  );

  assert.equal(error.code, 'rate_limit_exceeded');
  assert.equal((await received(question)).length, 2);
});

test('a model that fails is an InternalServerError with code upstream_error', async () => {
  const question = unique('Can I change my address for');

  const error = await refusal(() => client('error-500').chat.completions.create(ask(question)), InternalServerError);

  assert.equal(error.status, 502);
  assert.equal(error.code, 'upstream_error');
  assert.equal((await received(question)).length, 1);
});

test('a stream the model refuses before its first chunk is a BadRequestError with code model_refused', async () => {
  const error = await refusal(async () => {
    for await (const chunk of await client('error-400').chat.completions.create(
      ask(unique('A question far too long'), { stream: true }),
    )) {
      assert.fail(`no chunk expected, got ${JSON.stringify(chunk)}`);
    }
  }, BadRequestError);

  assert.equal(error.code, 'model_refused');
});

test('a stream the model breaks off midway ends in an APIError after the words that came', async () => {
  const question = unique('Tell me about the returns policy for');
  const words = [];

  const error = await refusal(async () => {
    for await (const chunk of await client('cut').chat.completions.create(ask(question, { stream: true }))) {
      words.push(...chunk.choices.map((choice) => choice.delta.content ?? ''));
    }
  }, APIError);

  const said = words.join('');
  assert.ok(said.startsWith('You said: ') && said.length < `You said: ${question}`.length, said);
  assert.ok(`You said: ${question}`.startsWith(said), said);
  assert.equal(error.code, 'upstream_error');
});
