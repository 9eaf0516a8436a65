// Imported first by every entry of the API (main.ts, src/cli/*.ts), so it runs before any other module:
// the API runs on Node 24 only (argon2 in node:crypto, among others), the Node that `npm install` puts
// in node_modules/.bin (the root's `node` devDependency) and that every npm script runs on. Started
// with another Node it would fail half-way, e.g. after migrating the database; instead it stops here.

/** The Node major the API runs on: the root package.json's `engines.node` and `node` devDependency. */
export const REQUIRED_NODE_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major !== REQUIRED_NODE_MAJOR) {
  console.error(
    `Error: the InstaInstru API runs on Node ${REQUIRED_NODE_MAJOR}, not ${process.version} (${process.execPath}). Start it through npm (npm start, npm run migrate, ...): npm scripts run the Node ${REQUIRED_NODE_MAJOR} that npm install puts in node_modules/.bin.`,
  );
  process.exit(1);
}
