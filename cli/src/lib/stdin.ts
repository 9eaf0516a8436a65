import { CliProblem } from './problem.js';

/** All of stdin as text (for `--with-token`); refuses a terminal, where it would wait for typing. */
export async function readStdin(flag: string): Promise<string> {
  if (process.stdin.isTTY) throw new CliProblem('missing_input', `${flag} reads the token from stdin`, `Pipe it in, e.g. \`echo "$TOKEN" | instru login ${flag}\`.`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').trim();
}
