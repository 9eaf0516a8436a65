import { describe, expect, it } from 'vitest';
import { addressAllowed, urlProblem } from './url-policy.js';

const production = { allowLoopback: false };
const development = { allowLoopback: true };

describe('webhook URL policy', () => {
  it('refuses private, loopback, link-local and mapped addresses in production', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '224.0.0.1']) {
      expect(addressAllowed(a, production), a).toBe(false);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) expect(addressAllowed(a, production), a).toBe(true);
  });

  it('allows loopback, and only loopback, in development', () => {
    expect(addressAllowed('127.0.0.1', development)).toBe(true);
    expect(addressAllowed('::1', development)).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', development)).toBe(true);
    expect(addressAllowed('192.168.1.1', development)).toBe(false);
    expect(addressAllowed('169.254.169.254', development)).toBe(false);
  });

  it('wants https in production, plain http only to loopback in development', () => {
    expect(urlProblem('https://hooks.example.com/in', production)).toBeNull();
    expect(urlProblem('http://hooks.example.com/in', production)).toMatch(/https/);
    expect(urlProblem('http://127.0.0.1:9000/in', production)).toMatch(/https/);
    expect(urlProblem('https://127.0.0.1/in', production)).toMatch(/private, loopback/);
    expect(urlProblem('https://localhost/in', production)).toMatch(/private, loopback/);
    // The URL parser turns these spellings into 127.0.0.1.
    expect(urlProblem('https://2130706433/in', production)).toMatch(/private, loopback/);
    expect(urlProblem('https://0x7f.1/in', production)).toMatch(/private, loopback/);
    expect(urlProblem('https://[::ffff:127.0.0.1]/in', production)).toMatch(/private, loopback/);
    expect(urlProblem('http://127.0.0.1:9000/in', development)).toBeNull();
    expect(urlProblem('http://localhost:9000/in', development)).toBeNull();
    expect(urlProblem('http://[::1]:9000/in', development)).toBeNull();
    expect(urlProblem('http://hooks.example.com/in', development)).toMatch(/https/);
    expect(urlProblem('http://192.168.1.5/in', development)).toMatch(/https/);
    expect(urlProblem('https://192.168.1.5/in', development)).toMatch(/private/);
  });

  it('refuses other schemes, credentials and fragments', () => {
    expect(urlProblem('ftp://example.com/', production)).toMatch(/https/);
    expect(urlProblem('not a url', production)).toMatch(/valid/);
    expect(urlProblem('https://user:pw@example.com/', production)).toMatch(/password/);
    expect(urlProblem('https://example.com/#x', production)).toMatch(/fragment/);
  });
});
