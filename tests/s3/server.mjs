// A real S3 server (s3rver) on 127.0.0.1 for Isko's off-box target tests.
// Usage: node server.mjs --directory DIR [--port N] [--bucket NAME]...
// Prints one JSON line {"port":N,"access_key":"S3RVER","secret_key":"S3RVER"} once it is listening,
// then serves until stdin closes or it is killed (the test fixture owns its lifetime).
import S3rver from 's3rver';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const buckets = args.flatMap((a, i) => (a === '--bucket' ? [{ name: args[i + 1] }] : []));
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(value('--port', '0')),
  directory: value('--directory', undefined),
  silent: true,
  configureBuckets: buckets,
});
const address = await server.run();
process.stdout.write(JSON.stringify({ port: address.port, access_key: 'S3RVER', secret_key: 'S3RVER' }) + '\n');
process.stdin.resume();
process.stdin.on('end', async () => { await server.close(); process.exit(0); });
