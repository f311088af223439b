// Reading a response body with a limit: a server (or whatever answers at the base URL) decides how much it sends, and
// the extension host is shared with every other extension. Answers are read up to MAX_ANSWER_CHARS and refused past
// it; error bodies (of which a message needs a few hundred characters) are cut at MAX_ERROR_BODY_CHARS. Either way
// the rest is not read: the body is cancelled, which closes its connection.
import { ProtocolError } from '../errors';
import type { HttpResponse } from '../ports';

/**
 * The most of an answer read (characters): no answer comes near it — a long model answer is some hundred thousand, a
 * page of 100 run logs with their tools' output a few million at the most.
 */
export const MAX_ANSWER_CHARS = 16_000_000;

/** The most of an error body read (characters): its message is cut to 300, a page's title is looked for in the first 256 K. */
export const MAX_ERROR_BODY_CHARS = 1_000_000;

/** Where an answer came from, for the error past the limit: `Codegen`, `GET /v1/users/me`. */
export interface BodySource {
  readonly service: string;
  readonly what: string;
}

/** The ProtocolError for an answer (or one event of a stream) longer than `limit` characters. */
export function bodyTooLarge(source: BodySource, limit: number, part = 'an answer'): ProtocolError {
  return new ProtocolError(`${source.service} sent ${part} of over ${limit.toLocaleString('en-US')} characters to ${source.what}; it was not read further (no answer is that long).`);
}

/** The body as text, up to `limit` characters; past it a ProtocolError (bodyTooLarge), the rest not read. */
export async function readAnswerText(res: HttpResponse, source: BodySource, limit = MAX_ANSWER_CHARS): Promise<string> {
  const { text, cut } = await readUpTo(res, limit);
  if (cut) throw bodyTooLarge(source, limit);
  return text;
}

/** An error body as text, its first `limit` characters (the rest is not read). */
export async function readErrorText(res: HttpResponse, limit = MAX_ERROR_BODY_CHARS): Promise<string> {
  return (await readUpTo(res, limit)).text;
}

/** The first `limit` characters of the body, and whether there was more (then the body was cancelled). */
async function readUpTo(res: HttpResponse, limit: number): Promise<{ text: string; cut: boolean }> {
  let text = '';
  // (Leaving the loop ends the body's iterator: the transport cancels the body and drops its connection.)
  for await (const chunk of res.chunks()) {
    text += chunk;
    if (text.length > limit) return { text: text.slice(0, limit), cut: true };
  }
  return { text, cut: false };
}
