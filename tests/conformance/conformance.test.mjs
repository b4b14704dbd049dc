// Runs the official @urbit/http-api client (pinned in package-lock.json) against `isko sim`.
// run.sh starts the sim with `--faults drop-sse-after=30`, so the SSE stream is cut every 30
// events and the client must resume with Last-Event-ID without losing or repeating a fact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Urbit } from '@urbit/http-api';

const url = process.env.ISKO_URL.replace(/\/$/, '');
const code = process.env.ISKO_CODE;
const TIMEOUT = 20_000;

// Every request the client makes, so tests can check what went over the wire.
const requests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  requests.push({ url: String(input), method: (init.method ?? 'GET').toUpperCase(), body: init.body, headers });
  return realFetch(input, init);
};

function waitFor(what, predicate) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const value = predicate();
      if (value) return resolve(value);
      if (Date.now() - started > TIMEOUT) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(check, 10);
    };
    check();
  });
}

// Sends a poke (resolves `sent` once the PUT is answered) and resolves `acked` on its ack.
function sendPoke(api, params) {
  let sent;
  const acked = new Promise((resolve, reject) => {
    sent = api.poke({ ...params, onSuccess: resolve, onError: (e) => reject(new Error(`nack: ${e}`)) });
    sent.catch(reject);
  });
  return { sent, acked };
}
const pokeAcked = (api, params) => sendPoke(api, params).acked;

let api;
let setCookie;
const facts = [];
let subscription;
let reconnects = 0;

test('login: connect() rejects a 204 (its inverted check), so log in by hand', async () => {
  const probe = new Urbit(url, code);
  await assert.rejects(probe.connect(), /Login failed with status 204/);
  const response = await realFetch(`${url}/~/login`, { method: 'POST', body: `password=${code}` });
  assert.equal(response.status, 204);
  setCookie = response.headers.get('set-cookie');
  assert.match(setCookie, /^urbauth-~zod=0v[0-9a-v.]+; Path=\/; Max-Age=604800$/);
  const wrong = await realFetch(`${url}/~/login`, { method: 'POST', body: 'password=wrong' });
  assert.equal(wrong.status, 400);
});

test('poke: hood helm-hi is acked', async () => {
  api = new Urbit(url, '', 'base');
  api.cookie = setCookie; // the client sends the whole set-cookie string back, as it does after connect()
  api.ship = 'zod';
  api.onReconnect = () => { reconnects++; };
  await pokeAcked(api, { app: 'hood', mark: 'helm-hi', json: 'conformance' });
  const put = requests.find((r) => r.method === 'PUT' && r.url.includes('/~/channel/'));
  assert.deepEqual(JSON.parse(put.body)[0], { id: 1, action: 'poke', ship: 'zod', app: 'hood', mark: 'helm-hi', json: 'conformance' });
});

test('subscribe: settings /all is acked and facts carry their mark', async () => {
  subscription = await api.subscribe({
    app: 'settings',
    path: '/all',
    event: (json, mark, id) => facts.push({ json, mark, id }),
    err: (e) => { throw new Error(`watch nacked: ${e}`); },
    quit: () => facts.push({ quit: true }),
  });
  await pokeAcked(api, { app: 'settings', mark: 'settings-event', json: { 'put-entry': { desk: 'isko', 'bucket-key': 'c', 'entry-key': 'first', value: 'x' } } });
  await waitFor('the first fact', () => facts.length >= 1);
  assert.equal(facts[0].mark, 'settings-event');
  assert.equal(facts[0].id, subscription);
  assert.deepEqual(facts[0].json, { 'settings-event': { 'put-entry': { 'bucket-key': 'c', 'entry-key': 'first', value: 'x', desk: 'isko' } } });
});

test('48 facts arrive in order, once each, with acks at 20, 41, 62…, across dropped streams', async () => {
  const count = 48;
  const acks = [];
  for (let i = 0; i < count; i++) {
    // One PUT at a time, so the pokes reach the ship in order; their acks are awaited together.
    const poke = sendPoke(api, { app: 'settings', mark: 'settings-event', json: { 'put-entry': { desk: 'isko', 'bucket-key': 'c', 'entry-key': `k${i}`, value: i } } });
    await poke.sent;
    acks.push(poke.acked);
  }
  await Promise.all(acks);
  await waitFor(`${count + 1} facts`, () => facts.length >= count + 1);
  const values = facts.slice(1).map((f) => f.json['settings-event']['put-entry'].value);
  assert.deepEqual(values, Array.from({ length: count }, (_, i) => i));
  assert.ok(!facts.some((f) => f.quit), 'the subscription was not kicked');
  const ackIds = requests.filter((r) => r.method === 'PUT' && r.body?.includes('"ack"')).map((r) => JSON.parse(r.body)[0]['event-id']);
  assert.ok(ackIds.length >= 4, `acks sent: ${ackIds}`);
  // http-api acks once an event id is more than 20 past its last ack (which starts at -1): 20, 41, 62, …
  assert.deepEqual(ackIds, ackIds.map((_, i) => 20 + 21 * i));
  // The sim cut the stream every 30 events: the client came back with Last-Event-ID.
  const resumes = requests.filter((r) => r.method === 'GET' && r.url.includes('/~/channel/') && r.headers['last-event-id'] !== undefined);
  assert.ok(reconnects >= 2 && resumes.length >= 2, `reconnects ${reconnects}, resumes ${resumes.length}`);
});

test('a nacked poke and a nacked watch reach the error callbacks with Eyre\'s err text', async () => {
  const nack = await pokeAcked(api, { app: 'settings', mark: 'settings-event', json: { 'put-entry': { desk: 'isko', 'bucket-key': 'c', 'entry-key': 'bad', value: 1.5 } } })
    .then(() => null, (e) => e);
  assert.match(String(nack), /nack: .*non-negative integer/);
  const watchErr = await new Promise((resolve) => {
    api.subscribe({ app: 'settings', path: '/bucket/isko/none', event: () => resolve('fact'), err: (e) => resolve(e), quit: () => resolve('quit') });
  });
  assert.equal(typeof watchErr, 'string');
  assert.match(watchErr, /no such path/);
});

test('scry: settings all.json, and a 404 rejects with the response', async () => {
  const all = await api.scry({ app: 'settings', path: '/all' });
  assert.equal(all.all.isko.c.k47, 47);
  const missing = await api.scry({ app: 'settings', path: '/bucket/isko/none' }).then(() => null, (r) => r);
  assert.equal(missing.status, 404);
});

test('thread: spider runs a thread and answers its JSON', async () => {
  const result = await api.thread({ inputMark: 'json', outputMark: 'json', threadName: 'sim-echo', body: { hello: ['world', 1] }, desk: 'base' });
  assert.deepEqual(result, { hello: ['world', 1] });
});

test('unsubscribe: no more facts after it', async () => {
  const before = facts.length;
  await api.unsubscribe(subscription);
  await pokeAcked(api, { app: 'settings', mark: 'settings-event', json: { 'put-entry': { desk: 'isko', 'bucket-key': 'c', 'entry-key': 'after', value: 1 } } });
  // The poke ack came after the fact would have, on the same ordered stream.
  assert.equal(facts.length, before);
});

test('delete: the channel is gone afterwards (404)', async () => {
  const channel = api.channelUrl;
  await api.delete();
  api.abort.abort();
  const response = await realFetch(channel, { headers: { Cookie: setCookie } });
  assert.equal(response.status, 404);
});
