import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/preact';

// Each test starts with an empty document (testing-library cleans up by itself only with vitest globals).
afterEach(cleanup);
