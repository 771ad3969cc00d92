// Runs graphql-http's GraphQL over HTTP audit against a served URL; prints one JSON line of results.
// Usage: node audit.mjs URL PREFIX (PREFIX: the folder whose node_modules holds graphql-http).
import { createRequire } from 'node:module';

const [url, prefix] = process.argv.slice(2);
const require = createRequire(`${prefix}/`);
const { auditServer } = require('graphql-http');
const results = await auditServer({ url });
console.log(JSON.stringify(results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null }))));
