// Embeddings as a Node RAG script asks for them: the client asks for base64 unless told otherwise, and decodes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequestError } from 'openai';
import { client, received, refusal, unique } from './setup.mjs';

const IN_PROCESS = 'all-minilm-l6-v2';

function dot(a, b) {
  return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

/** A float as float32, the precision a base64 vector carries: a JSON float read in JavaScript is a double. */
function float32(values) {
  return values.map(Math.fround);
}

test('the in-process model embeds a string as 384 floats of unit length, the client decoding the base64 it asked for', async () => {
  const openai = client('echo');
  const text = 'How do I reset my password?';

  const decoded = await openai.embeddings.create({ model: IN_PROCESS, input: text });
  const floats = await openai.embeddings.create({ model: IN_PROCESS, input: text, encoding_format: 'float' });
  const raw = await (await openai.embeddings.create({ model: IN_PROCESS, input: text }).asResponse()).json();

  assert.equal(decoded.object, 'list');
  assert.equal(decoded.model, IN_PROCESS);
  assert.equal(decoded.data.length, 1);
  assert.equal(decoded.data[0].object, 'embedding');
  assert.equal(decoded.data[0].index, 0);
  const vector = decoded.data[0].embedding;
  assert.equal(vector.length, 384);
  assert.ok(Math.abs(dot(vector, vector) - 1) < 1e-4, `|v|² = ${dot(vector, vector)}`);
  assert.ok(decoded.usage.prompt_tokens > 0 && decoded.usage.total_tokens === decoded.usage.prompt_tokens, JSON.stringify(decoded.usage));
  // Asked for nothing, the client asked for base64: the answer carried a string, which it decoded to the floats.
  assert.equal(typeof raw.data[0].embedding, 'string');
  assert.equal(floats.data[0].embedding.length, 384);
  assert.deepEqual(vector, float32(floats.data[0].embedding));
});

test('a list of texts is embedded in its order, a paraphrase nearer than another topic', async () => {
  const openai = client('echo');
  const texts = [
    'How do I reset my password?',
    'I forgot my password; how can I change it?',
    'The parcel was left at the wrong address.',
  ];

  const list = await openai.embeddings.create({ model: IN_PROCESS, input: texts });
  const last = await openai.embeddings.create({ model: IN_PROCESS, input: texts[2] });

  assert.deepEqual(list.data.map((item) => item.index), [0, 1, 2]);
  assert.deepEqual(list.data[2].embedding, last.data[0].embedding);
  const [question, paraphrase, other] = list.data.map((item) => item.embedding);
  assert.ok(dot(question, paraphrase) > dot(question, other) + 0.2, `${dot(question, paraphrase)} vs ${dot(question, other)}`);
  assert.ok(list.usage.prompt_tokens > last.usage.prompt_tokens, JSON.stringify(list.usage));
});

test("a model of the tenant's endpoint gets the client's base64 request and its vectors come back decoded", async () => {
  const openai = client('echo');
  const text = unique('Opening hours of store');

  const decoded = await openai.embeddings.create({ model: 'stub/embed', input: [text] });
  const floats = await openai.embeddings.create({ model: 'stub/embed', input: [text], encoding_format: 'float' });

  assert.equal(decoded.model, 'stub/embed');
  const asked = await received(text);
  assert.deepEqual(
    asked.map((request) => [request.model, request.encoding_format]),
    [
      ['embed', 'base64'],
      ['embed', 'float'],
    ],
  );
  assert.deepEqual(decoded.data[0].embedding, float32(floats.data[0].embedding));
  assert.equal(decoded.data[0].embedding.length, 4);
  assert.equal(decoded.data[0].embedding[0], text.length);
});

test('an empty input is a BadRequestError whose param is input', async () => {
  const openai = client('echo');

  const empty = await refusal(() => openai.embeddings.create({ model: IN_PROCESS, input: '' }), BadRequestError);
  const none = await refusal(() => openai.embeddings.create({ model: IN_PROCESS, input: [] }), BadRequestError);

  for (const error of [empty, none]) {
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.code, 'invalid_value');
    assert.equal(error.param, 'input');
  }
});
