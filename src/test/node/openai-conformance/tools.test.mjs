// Tool calling as a Node agent runs it: the model asks for a tool, the client runs it and sends the result back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, lastReceived, lookupOrder, trackParcel, unique } from './setup.mjs';

/** The streamed tool-call deltas joined by index, as a client that reads raw chunks must join them. */
function joinToolCalls(chunks) {
  const calls = [];
  for (const delta of chunks.flatMap((chunk) => chunk.choices).map((choice) => choice.delta)) {
    for (const part of delta.tool_calls ?? []) {
      calls[part.index] ??= { id: part.id, type: part.type, function: { name: part.function?.name, arguments: '' } };
      calls[part.index].function.arguments += part.function?.arguments ?? '';
    }
  }
  return calls;
}

async function all(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return chunks;
}

test('a streamed tool loop: the call arrives in deltas, the result goes back by tool_call_id, the model answers', async () => {
  const openai = client('tool-caller');
  const question = unique('Where is order');
  const conversation = [{ role: 'user', content: question }];

  const asked = await all(
    await openai.chat.completions.create({
      model: 'default',
      messages: conversation,
      tools: [lookupOrder],
      parallel_tool_calls: false,
      stream: true,
    }),
  );
  const deltas = asked.flatMap((chunk) => chunk.choices).flatMap((choice) => choice.delta.tool_calls ?? []);
  assert.ok(deltas.length > 2, 'the arguments came in fragments');
  assert.equal(deltas[0].id, 'call_stub_0');
  assert.equal(deltas[0].function.name, 'lookup_order');
  assert.deepEqual(asked.flatMap((chunk) => chunk.choices).map((choice) => choice.finish_reason).filter(Boolean), [
    'tool_calls',
  ]);
  const calls = joinToolCalls(asked);
  assert.deepEqual(calls, [
    { id: 'call_stub_0', type: 'function', function: { name: 'lookup_order', arguments: JSON.stringify({ query: question }) } },
  ]);

  conversation.push({ role: 'assistant', content: null, tool_calls: calls });
  conversation.push({ role: 'tool', tool_call_id: calls[0].id, content: 'shipped on Monday' });
  const answered = await all(
    await openai.chat.completions.create({
      model: 'default',
      messages: conversation,
      tools: [lookupOrder],
      parallel_tool_calls: false,
      stream: true,
    }),
  );

  const choices = answered.flatMap((chunk) => chunk.choices);
  assert.equal(choices.map((choice) => choice.delta.content ?? '').join(''), 'The tool said: shipped on Monday');
  assert.deepEqual(choices.map((choice) => choice.finish_reason).filter(Boolean), ['stop']);
  const request = await lastReceived(question);
  assert.equal(request.tools[0].function.name, 'lookup_order');
  assert.equal(request.parallel_tool_calls, false);
  assert.equal(request.messages[1].tool_calls[0].id, 'call_stub_0');
  assert.equal(request.messages[2].tool_call_id, 'call_stub_0');
});

test('a whole tool loop: the call comes as a message with null content, the model answers the result', async () => {
  const openai = client('tool-caller');
  const question = unique('When does order arrive:');
  const conversation = [{ role: 'user', content: question }];

  const asked = await openai.chat.completions.create({ model: 'default', messages: conversation, tools: [lookupOrder] });

  const message = asked.choices[0].message;
  assert.equal(asked.choices[0].finish_reason, 'tool_calls');
  assert.equal(message.content, null);
  assert.equal(message.tool_calls.length, 1);
  assert.equal(message.tool_calls[0].function.name, 'lookup_order');
  assert.deepEqual(JSON.parse(message.tool_calls[0].function.arguments), { query: question });

  conversation.push(message);
  conversation.push({ role: 'tool', tool_call_id: message.tool_calls[0].id, content: 'arrives on Friday' });
  const answered = await openai.chat.completions.create({ model: 'default', messages: conversation, tools: [lookupOrder] });

  assert.equal(answered.choices[0].message.content, 'The tool said: arrives on Friday');
  assert.equal(answered.choices[0].finish_reason, 'stop');
  assert.equal((await lastReceived('arrives on Friday')).messages[2].tool_call_id, message.tool_calls[0].id);
});

test("the client's runTools helper drives the streamed loop with the tool's parsed arguments", async () => {
  const question = unique('Has order shipped:');
  const asked = [];

  const runner = client('tool-caller').chat.completions.runTools({
    model: 'default',
    messages: [{ role: 'user', content: question }],
    stream: true,
    tools: [
      {
        type: 'function',
        function: {
          ...lookupOrder.function,
          parse: JSON.parse,
          function: async ({ query }) => {
            asked.push(query);
            return 'on its way';
          },
        },
      },
    ],
  });

  assert.equal(await runner.finalContent(), 'The tool said: on its way');
  assert.deepEqual(asked, [question]);
  assert.equal((await lastReceived('on its way')).messages[2].tool_call_id, 'call_stub_0');
});

test('parallel tool calls arrive whole and streamed, in order, each with its id', async () => {
  const openai = client('parallel-tools');
  const params = {
    model: 'default',
    messages: [{ role: 'user', content: unique('Where are my two orders?') }],
    tools: [lookupOrder, trackParcel],
  };
  const expected = [
    ['call_stub_0', 'lookup_order'],
    ['call_stub_1', 'track_parcel'],
  ];

  const whole = await openai.chat.completions.create(params);
  const streamed = await all(await openai.chat.completions.create({ ...params, stream: true }));

  assert.equal(whole.choices[0].finish_reason, 'tool_calls');
  assert.deepEqual(
    whole.choices[0].message.tool_calls.map((call) => [call.id, call.function.name]),
    expected,
  );
  assert.deepEqual(
    joinToolCalls(streamed).map((call) => [call.id, call.function.name]),
    expected,
  );
  assert.deepEqual(streamed.flatMap((chunk) => chunk.choices).map((choice) => choice.finish_reason).filter(Boolean), [
    'tool_calls',
  ]);
});
