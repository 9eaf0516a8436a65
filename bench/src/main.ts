// `npm run bench`'s entry. The bench runs on Node 24 only, the Node the API it starts runs on (the root's `node`
// devDependency, which npm scripts run on): on another major it stops here with one line, before the bench's
// own modules load (on Node 20 their `import ... from 'node:sqlite'` would fail first, naming no fix).
const REQUIRED_NODE_MAJOR = 24;

if (Number(process.versions.node.split('.')[0]) !== REQUIRED_NODE_MAJOR) {
  console.error(
    `bench: runs on Node ${REQUIRED_NODE_MAJOR}, not ${process.version} (${process.execPath}). Run it through npm at the repository's root (npm run bench), whose scripts run the Node ${REQUIRED_NODE_MAJOR} that npm install puts in node_modules/.bin.`,
  );
  process.exit(2);
}
await import('./run.js');
