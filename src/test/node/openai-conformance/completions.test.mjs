// Chat completions as a Node application makes them: whole, streamed, with content parts, roles and JSON mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, lastReceived, unique } from './setup.mjs';

test('lists the tenant policy and the models the tenant may name', async () => {
  const ids = [];
  for await (const model of client('echo').models.list()) {
    ids.push(model.id);
  }

  assert.ok(ids.includes('default'), `models: ${ids}`);
  assert.ok(ids.includes('stub/echo'), `models: ${ids}`);
});

test('a completion answers with the model text, finish_reason stop and the usage', async () => {
  const question = unique('Is parking free for');

  const completion = await client('echo').chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: question }],
  });

  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.model, 'default');
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(completion.choices[0].message.content, `You said: ${question}`);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0 && completion.usage.completion_tokens > 0, JSON.stringify(completion.usage));
});

test('a stream of chunks joins into the model text and ends with finish_reason stop', async () => {
  const question = unique('Is breakfast included for');

  const stream = await client('echo').chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: question }],
    stream: true,
  });
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }

  const choices = chunks.flatMap((chunk) => chunk.choices);
  assert.equal(choices.map((choice) => choice.delta.content ?? '').join(''), `You said: ${question}`);
  assert.ok(chunks.length > 2, 'the answer came in several chunks');
  assert.deepEqual(choices.map((choice) => choice.finish_reason).filter(Boolean), ['stop']);
  assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'default'));
  // Switchboard asks the model for usage to meter the call; a client that did not ask does not get it.
  assert.ok(chunks.every((chunk) => !chunk.usage));
  assert.equal((await lastReceived(question)).stream_options?.include_usage, true);
});

test('a stream that asks for usage ends with a usage chunk', async () => {
  const question = unique('How late is the shop open for');

  const stream = await client('echo').chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: question }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }

  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage.prompt_tokens > 0 && last.usage.completion_tokens > 0, JSON.stringify(last.usage));
});

test('the client stream helper gives its content events and the final completion', async () => {
  const question = unique('Can I pay by card for');
  const deltas = [];

  const stream = client('echo').chat.completions.stream({
    model: 'default',
    messages: [{ role: 'user', content: question }],
  });
  stream.on('content', (delta) => deltas.push(delta));
  const completion = await stream.finalChatCompletion();

  assert.equal(deltas.join(''), `You said: ${question}`);
  assert.equal(completion.choices[0].message.content, `You said: ${question}`);
  assert.equal(completion.choices[0].finish_reason, 'stop');
});

test('a stream from a model that ignores the token cap stops there with finish_reason length', async () => {
  const stream = await client('echo').chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: unique('one two three four five six seven') }],
    max_tokens: 3,
    stream: true,
  });
  const choices = [];
  for await (const chunk of stream) {
    choices.push(...chunk.choices);
  }

  assert.equal(choices.map((choice) => choice.delta.content ?? '').join(''), 'You said: one ');
  assert.deepEqual(choices.map((choice) => choice.finish_reason).filter(Boolean), ['length']);
});

test('a user message of content parts is read as the model reads it and reaches the model as parts', async () => {
  const marker = unique('order');

  const completion = await client('echo').chat.completions.create({
    model: 'stub/echo',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Can I return ' },
          { type: 'text', text: `${marker}?` },
        ],
      },
    ],
  });

  assert.equal(completion.choices[0].message.content, `You said: Can I return ${marker}?`);
  assert.equal(completion.model, 'stub/echo');
  const parts = (await lastReceived(marker)).messages[0].content;
  assert.deepEqual(parts.map((part) => part.text), ['Can I return ', `${marker}?`]);
});

test('system and developer messages reach the model with their roles, in order', async () => {
  const question = unique('Do you ship to Norway? Ask');

  await client('echo').chat.completions.create({
    model: 'default',
    messages: [
      { role: 'system', content: 'You are a shop assistant.' },
      { role: 'developer', content: 'Answer in one line.' },
      { role: 'user', content: question },
    ],
  });

  const messages = (await lastReceived(question)).messages;
  assert.deepEqual(
    messages.map((message) => [message.role, message.content]),
    [
      ['system', 'You are a shop assistant.'],
      ['developer', 'Answer in one line.'],
      ['user', question],
    ],
  );
});

test('JSON mode, sampling and unknown fields reach the model as sent, the token cap bounded by the tenant', async () => {
  const marker = unique('Answer in JSON:');

  await client('echo').chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: marker }],
    response_format: { type: 'json_object' },
    seed: 7,
    temperature: 0.2,
    stop: ['END'],
    user: 'agent-42',
    max_completion_tokens: 100_000,
    guided_decoding_backend: 'xgrammar',
  });

  const request = await lastReceived(marker);
  assert.deepEqual(request.response_format, { type: 'json_object' });
  assert.equal(request.seed, 7);
  assert.equal(request.temperature, 0.2);
  assert.deepEqual(request.stop, ['END']);
  assert.equal(request.user, 'agent-42');
  assert.equal(request.guided_decoding_backend, 'xgrammar');
  // The tenant's limit per answer (800 tokens by default) bounds what the caller asked for.
  assert.equal(request.max_completion_tokens, 800);
  assert.equal(request.model, 'echo');
});

test('a json_schema response format reaches the model whole', async () => {
  const marker = unique('Which order is late?');
  const responseFormat = {
    type: 'json_schema',
    json_schema: {
      name: 'late_order',
      strict: true,
      schema: {
        type: 'object',
        properties: { order: { type: 'string' }, days_late: { type: 'integer' } },
        required: ['order', 'days_late'],
        additionalProperties: false,
      },
    },
  };

  await client('echo').chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: marker }],
    response_format: responseFormat,
  });

  assert.deepEqual((await lastReceived(marker)).response_format, responseFormat);
});
