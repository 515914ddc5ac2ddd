// What every scenario shares: the gateway and keys NodeClientConformanceTest made, and what the model stub was asked.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';

function required(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is set by NodeClientConformanceTest`);
  return value;
}

export const baseURL = required('SWITCHBOARD_V1');
const stubURL = required('MODEL_STUB_URL');
// One agent key per tenant, by the stub model that answers the tenant: {"echo": "sbk_...", ...}.
const keys = JSON.parse(required('SWITCHBOARD_KEYS'));
/** The platform operator's key, which belongs to no tenant. */
export const platformKey = required('SWITCHBOARD_PLATFORM_KEY');

/** The official client on the gateway with the key of the tenant that the stub model answers; retries off unless asked. */
export function client(model, options = {}) {
  assert.ok(keys[model], `a tenant answered by the stub model ${model}`);
  return new OpenAI({ apiKey: keys[model], baseURL, maxRetries: 0, timeout: 15_000, ...options });
}

/** A phrase no other request holds, to find this scenario's requests at the stub. */
export function unique(text) {
  return `${text} ${randomUUID()}`;
}

/** The chat requests the model stub received that hold the text, oldest first. */
export async function received(text) {
  const response = await fetch(`${stubURL.replace(/\/v1$/, '')}/stub/requests`);
  assert.equal(response.status, 200);
  return (await response.json()).filter((request) => JSON.stringify(request).includes(text));
}

/** The latest chat request the model stub received that holds the text. */
export async function lastReceived(text) {
  const requests = await received(text);
  assert.ok(requests.length > 0, `the model was asked something holding '${text}'`);
  return requests.at(-1);
}

/** The error the call throws, checked to be of the client's class for it. */
export async function refusal(call, errorClass) {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${error?.constructor?.name}: ${error}`);
    return error;
  }
  assert.fail(`expected ${errorClass.name}, but the call succeeded`);
}

export const lookupOrder = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Finds an order by what the customer says about it',
    parameters: { type: 'object', properties: { query: { type: 'string' } } },
  },
};

export const trackParcel = {
  type: 'function',
  function: { name: 'track_parcel', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
};
