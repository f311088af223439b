// How an OpenAI-compatible answer ended, by its finish_reason: one vocabulary for the client (is the answer cut
// off?) and the pipeline (what to tell the user about it).

/**
 * Why an answer was cut off before the model finished it; `unexplained`: the server said it ended short, not why (its
 * stream ends as a whole answer's does, unlike an abort's, whose error follows).
 */
export type CutOff = 'token_limit' | 'content_filter' | 'aborted' | 'unexplained';

/**
 * The finish reasons (in lower case) of an answer that ended before the model finished it: the token limit (OpenAI
 * "length", Anthropic-style "max_tokens", vLLM "model_length"), a content filter part way ("content_filter", and
 * Gemini's blocks as gateways pass them on: "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
 * "IMAGE_SAFETY", and "LANGUAGE": an answer withheld for being in a language the model does not support — a blocked
 * answer is no whole one, to cache or to apply), the server aborting or failing ("abort", "error", DeepSeek's
 * "insufficient_system_resource"), and Gemini's ends short of a whole answer for another cause: "MALFORMED_FUNCTION_CALL"
 * (the model broke off into a tool call it could not form) and "OTHER" (Gemini's "unknown reason": not the model's own
 * end, which is "STOP", so the answer may be incomplete and is not cached). Any other reason is the model's own end —
 * servers name it many ways ("stop", "STOP" behind Gemini gateways, "eos", "end", "end_turn", "stop_sequence").
 */
const CUT_OFF: ReadonlyMap<string, CutOff> = new Map([
  ['length', 'token_limit'],
  ['max_tokens', 'token_limit'],
  ['model_length', 'token_limit'],
  ['content_filter', 'content_filter'],
  ['safety', 'content_filter'],
  ['recitation', 'content_filter'],
  ['blocklist', 'content_filter'],
  ['prohibited_content', 'content_filter'],
  ['spii', 'content_filter'],
  ['image_safety', 'content_filter'],
  ['language', 'content_filter'],
  ['abort', 'aborted'],
  ['error', 'aborted'],
  ['insufficient_system_resource', 'aborted'],
  ['malformed_function_call', 'unexplained'],
  ['other', 'unexplained'],
]);

/** How an answer with this finish_reason (any case) was cut off, or undefined when the model ended it. */
export function cutOff(finishReason: string): CutOff | undefined {
  return CUT_OFF.get(finishReason.toLowerCase());
}
