// The `openai` provider: any OpenAI-compatible chat-completions endpoint, streamed.
import type { OpenAiClient } from '../api/openAiClient';
import type { GenerationProvider, ProviderAnswer, ProviderCallOptions, ProviderRequest } from './model';

export class OpenAiProvider implements GenerationProvider {
  readonly id = 'openai' as const;

  constructor(
    private readonly client: OpenAiClient,
    private readonly model: () => string,
    /** The endpoint's base URL (contexten.openai.baseUrl). */
    private readonly baseUrl: () => string,
  ) {}

  defaultModel(): string {
    return this.model();
  }

  endpoint(): string {
    return this.baseUrl();
  }

  async generate(req: ProviderRequest, opts: ProviderCallOptions): Promise<ProviderAnswer> {
    const answer = await this.client.streamChat(
      {
        messages: [
          { role: 'system', content: req.system },
          { role: 'user', content: req.user },
        ],
        // (Without a model of the request's own, the client reads contexten.openai.model with the base URL it sends to.)
        ...(req.model !== undefined ? { model: req.model } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
      },
      { signal: opts.signal, ...(opts.onToken ? { onDelta: opts.onToken } : {}), ...(opts.onReasoning ? { onReasoning: opts.onReasoning } : {}) },
    );
    // (The answer's content only: the model's reasoning went to onReasoning, apart from the answer, never parsed for code.)
    return { text: answer.content, model: answer.model, requestedModel: answer.requestedModel, truncated: answer.truncated, finishReason: answer.finishReason, endpoint: answer.baseUrl };
  }
}
