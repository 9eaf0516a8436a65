// After `vite build`: copies the queue stub next to widget.js and prints both sizes (gzip), so the
// build says what a partner page loads. The integrity hashes are computed by the API when it serves them.
import { copyFileSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
copyFileSync(new URL('../stub.js', import.meta.url), new URL('stub.js', dist));
for (const name of ['widget.js', 'stub.js']) {
  const body = readFileSync(new URL(name, dist));
  console.log(`widget/dist/${name}: ${body.length} bytes, ${gzipSync(body, { level: 9 }).length} gzip`);
}
