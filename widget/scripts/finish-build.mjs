// After `vite build`: copies the queue stub and the package's types (types/widget.d.ts) next to
// widget.js and prints the sizes (gzip), so the build says what a partner page loads. The integrity hashes are computed by the API when it serves them.
import { copyFileSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
copyFileSync(new URL('../stub.js', import.meta.url), new URL('stub.js', dist));
copyFileSync(new URL('../types/widget.d.ts', import.meta.url), new URL('widget.d.ts', dist));
for (const name of ['widget.js', 'stub.js']) {
  const body = readFileSync(new URL(name, dist));
  console.log(`widget/dist/${name}: ${body.length} bytes, ${gzipSync(body, { level: 9 }).length} gzip`);
}
